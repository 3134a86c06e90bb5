import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../config.ts';
import { createMailer, escapeHtml } from './mailer.ts';

/** A real SMTP conversation with a server on loopback, not a mock transport. */
describe('mailer over SMTP', () => {
  const received: { from: string; to: string[]; raw: string }[] = [];
  let server: SMTPServer;
  let port: number;

  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        let raw = '';
        stream.on('data', (chunk: Buffer) => (raw += chunk.toString()));
        stream.on('end', () => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw,
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('delivers a message with plain-text and HTML parts from the configured sender', async () => {
    const mailer = createMailer(
      testConfig({ SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: 'medmentor <no-reply@school.example>' }),
    );
    await mailer.send({
      to: 'student@school.example',
      subject: 'Reset your password',
      text: 'Open the link',
      html: '<p>Open the <a href="https://x">link</a></p>',
    });
    mailer.close();
    expect(received).toHaveLength(1);
    expect(received[0]!.from).toBe('no-reply@school.example');
    expect(received[0]!.to).toEqual(['student@school.example']);
    expect(received[0]!.raw).toContain('Subject: Reset your password');
    expect(received[0]!.raw).toMatch(/Content-Type: multipart\/alternative/);
    expect(received[0]!.raw).toContain('Content-Type: text/plain');
    expect(received[0]!.raw).toContain('Content-Type: text/html');
  });

  it('sends attachments such as a meeting invitation', async () => {
    const mailer = createMailer(testConfig({ SMTP_URL: `smtp://127.0.0.1:${port}` }));
    await mailer.send({
      to: 'mentor@school.example',
      subject: 'Meeting confirmed',
      text: 'See the invitation',
      html: '<p>See the invitation</p>',
      attachments: [
        {
          filename: 'mentoring-meeting.ics',
          contentType: 'text/calendar; charset=utf-8',
          content: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n',
        },
      ],
    });
    mailer.close();
    const raw = received.at(-1)!.raw;
    expect(raw).toMatch(/Content-Type: text\/calendar/);
    expect(raw).toContain('filename=mentoring-meeting.ics');
  });

  it('writes to the log instead when no relay is configured', async () => {
    const lines: string[] = [];
    const mailer = createMailer(testConfig(), (line) => lines.push(line));
    await mailer.send({ to: 'a@school.example', subject: 'Hello', text: 'Body text', html: '<p>Body</p>' });
    expect(lines.join('\n')).toContain('Body text');
  });

  it('escapes text for HTML', () => {
    expect(escapeHtml(`<b>"Tom" & 'Jerry'</b>`)).toBe('&#60;b&#62;&#34;Tom&#34; &#38; &#39;Jerry&#39;&#60;/b&#62;');
  });
});
