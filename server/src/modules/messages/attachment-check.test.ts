import { describe, expect, it } from 'vitest';
import { checkAttachment, cleanFileName, isPlainText } from './attachment-check.ts';
import { DOCX, EXE, JPEG, PDF, PNG, TEXT, ZIP } from './test-files.ts';

describe('attachment check by content', () => {
  it.each([
    ['notes.pdf', PDF, 'application/pdf'],
    ['scan.PNG', PNG, 'image/png'],
    ['photo.jpeg', JPEG, 'image/jpeg'],
    ['photo.jpg', JPEG, 'image/jpeg'],
    ['questions.txt', TEXT, 'text/plain'],
    ['statement.docx', DOCX, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  ])('accepts %s as %s', async (name, bytes, type) => {
    const verdict = await checkAttachment(name, bytes);
    expect(verdict).toMatchObject({ ok: true, contentType: type, fileName: name });
    if (verdict.ok) expect(verdict.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a file whose name says PDF but whose content is an image', async () => {
    const verdict = await checkAttachment('transcript.pdf', PNG);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toMatch(/named as a \.pdf file but its content is PNG image/);
  });

  it('refuses an executable or an archive, whatever the name says', async () => {
    for (const [name, bytes] of [
      ['notes.pdf', EXE],
      ['notes.txt', EXE],
      ['notes.docx', ZIP],
    ] as const) {
      expect((await checkAttachment(name, bytes)).ok, name).toBe(false);
    }
  });

  it('refuses text with a name of another type, a name without a type, and an empty file', async () => {
    expect((await checkAttachment('notes.pdf', TEXT)).ok).toBe(false);
    expect((await checkAttachment('notes', TEXT)).ok).toBe(false);
    expect((await checkAttachment('notes.txt', Buffer.alloc(0))).ok).toBe(false);
  });

  it('treats only valid UTF-8 without control characters as text', () => {
    expect(isPlainText(Buffer.from('tab\tand new line\r\n'))).toBe(true);
    expect(isPlainText(Buffer.from([0x68, 0x00, 0x69]))).toBe(false);
    expect(isPlainText(Buffer.from([0x63, 0x61, 0x66, 0xe9]))).toBe(false);
    expect(isPlainText(Buffer.from('\u001b[31mred'))).toBe(false);
  });

  it('keeps only the last part of a path and no control characters or quotes in a name', () => {
    expect(cleanFileName('C:\\Users\\me\\"final"\u0007.pdf')).toBe('final.pdf');
    expect(cleanFileName('../../etc/passwd.txt')).toBe('passwd.txt');
    expect(cleanFileName(`${'a'.repeat(300)}.docx`)).toHaveLength(200);
    expect(cleanFileName(`${'a'.repeat(300)}.docx`).endsWith('.docx')).toBe(true);
  });
});
