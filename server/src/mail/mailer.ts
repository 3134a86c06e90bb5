import nodemailer from 'nodemailer';
import type { Config } from '../config.ts';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** A stable Message-ID (the outbox's), so a relay or a recipient can recognise a repeat. */
  messageId?: string;
  /** Passed to Nodemailer as they are: filename, contentType and text content. */
  attachments?: { filename: string; contentType: string; content: string }[];
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/**
 * Sends through the SMTP relay named by SMTP_URL. Without one (a laptop demo), messages are
 * written to the log instead, so a password-reset link can still be followed.
 */
export function createMailer(config: Config, log: (message: string) => void = console.log): Mailer {
  if (!config.SMTP_URL) {
    const transport = nodemailer.createTransport({ jsonTransport: true });
    return {
      async send(mail) {
        await transport.sendMail({ from: config.MAIL_FROM, ...mail });
        log(`[mail not sent: SMTP_URL is unset] to=${mail.to} subject="${mail.subject}"\n${mail.text}`);
      },
      close: () => transport.close(),
    };
  }
  const transport = nodemailer.createTransport(config.SMTP_URL);
  return {
    async send(mail) {
      await transport.sendMail({ from: config.MAIL_FROM, ...mail });
    },
    close: () => transport.close(),
  };
}

/** Escapes text for the HTML part of an email. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
