/**
 * What a message's file really is, decided from its bytes: the allow-list is PDF, PNG, JPEG,
 * Word (.docx) and plain text. The name must agree with the content (a `.pdf` that is really a
 * PNG is refused), and the type stored and served is the one found here, never the browser's.
 *
 * Plain text has no magic number, so it is recognised by elimination and by its bytes: no known
 * binary signature, valid UTF-8 (a byte-order mark allowed), no NUL and no control characters
 * other than tab, line feed, carriage return and form feed. A file that passes is text in any
 * reader, and one that fails (an executable, an archive, a Latin-1 file with stray bytes) is refused.
 */
import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import { ATTACHMENT_EXTENSIONS, ATTACHMENT_TYPES, type AttachmentType } from '../../../../common/messages.ts';

export type AttachmentVerdict =
  { ok: true; contentType: AttachmentType; fileName: string; sha256: string } | { ok: false; reason: string };

const ALLOWED = Object.keys(ATTACHMENT_TYPES) as AttachmentType[];
const LIST = 'PDF, PNG, JPEG, Word (.docx) or plain text';

/** A file name safe to store and to send back in Content-Disposition: no path, no control characters, at most 200 characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  const cleaned = base
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}"]/gu, '')
    .trim();
  if (cleaned.length <= 200) return cleaned;
  const dot = cleaned.lastIndexOf('.');
  const ext = dot > 0 && cleaned.length - dot <= 10 ? cleaned.slice(dot) : '';
  return cleaned.slice(0, 200 - ext.length) + ext;
}

function extensionOf(name: string): string | null {
  const dot = name.lastIndexOf('.');
  return dot > 0 && dot < name.length - 1 ? name.slice(dot + 1).toLowerCase() : null;
}

/** True when the bytes read as plain text: valid UTF-8 without NUL or control characters. */
export function isPlainText(bytes: Uint8Array): boolean {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return false;
  }
  // eslint-disable-next-line no-control-regex
  return !/[\u0000-\u0008\u000B\u000E-\u001F\u007F]/.test(text);
}

/** Checks a file against the allow-list by its content and its name. */
export async function checkAttachment(fileName: string, bytes: Uint8Array): Promise<AttachmentVerdict> {
  const name = cleanFileName(fileName);
  if (name.length === 0 || name.startsWith('.')) return { ok: false, reason: 'Give the file a name, like notes.pdf' };
  if (bytes.length === 0) return { ok: false, reason: `${name} is empty` };
  const ext = extensionOf(name);
  const detected = await fileTypeFromBuffer(bytes);
  let contentType: AttachmentType;
  if (detected) {
    if (!ALLOWED.includes(detected.mime as AttachmentType)) {
      return { ok: false, reason: `${name} is a ${detected.ext.toUpperCase()} file; attach a ${LIST} file` };
    }
    contentType = detected.mime as AttachmentType;
  } else if (isPlainText(bytes)) {
    contentType = 'text/plain';
  } else {
    return { ok: false, reason: `${name} is not a ${LIST} file` };
  }
  const expected = ATTACHMENT_EXTENSIONS[contentType];
  if (ext === null || !expected.includes(ext)) {
    const what = ATTACHMENT_TYPES[contentType];
    return {
      ok: false,
      reason: `${name} is named as ${ext ? `a .${ext} file` : 'a file without a type'} but its content is ${what}; rename it to end in .${expected[0]} or attach the right file`,
    };
  }
  return { ok: true, contentType, fileName: name, sha256: createHash('sha256').update(bytes).digest('hex') };
}
