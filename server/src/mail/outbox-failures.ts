/**
 * What a failed SMTP send proves about the message. Only a failure that shows the relay did not
 * take the message may lead to sending it again; everything else is `unknown`, because the relay
 * may have accepted it before the failure (a connection reset after the final ".", a timeout
 * waiting for the reply to it) and a second send would be a duplicate.
 *
 * - `permanent`: the relay refused this message or recipient for good (5xx to RCPT or DATA, or
 *   an address Nodemailer will not send to). Not sent; do not retry.
 * - `temporary`: not sent, and worth retrying: a 4xx reply, any refusal of the session rather than
 *   the message (authentication, sender, greeting), or a connection that never got as far as
 *   the SMTP greeting.
 * - `unknown`: anything else, including errors from a mailer that is not Nodemailer's.
 */
export type SendFailure = 'permanent' | 'temporary' | 'unknown';

interface MailErrorFields {
  code?: unknown;
  command?: unknown;
  responseCode?: unknown;
  originalCode?: unknown;
  timeoutType?: unknown;
}

/** Failures that happen before any connection, or before the greeting, so nothing was handed over. */
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const SESSION_CODES = new Set(['EAUTH', 'ENOAUTH', 'EOAUTH2', 'EDNS', 'ETLS', 'EREQUIRETLS', 'EPROXY', 'ECONFIG']);
const EARLY_TIMEOUTS = new Set(['CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT']);
/** Commands whose refusal is about this message, not the session. */
const MESSAGE_COMMANDS = new Set(['RCPT TO', 'DATA']);

/** Classifies an error thrown by `Mailer.send`; see SendFailure. */
export function classifySendFailure(error: unknown): SendFailure {
  if (typeof error !== 'object' || error === null) return 'unknown';
  const { code, command, responseCode, originalCode, timeoutType } = error as MailErrorFields;
  if (typeof responseCode === 'number' && responseCode >= 400 && responseCode < 600) {
    // A 4yz/5yz reply, including one to the final ".", means the relay did not take responsibility
    // for the message (RFC 5321 §4.2.5). 503 is a session problem, not a refusal of the message.
    const permanent = responseCode >= 500 && responseCode !== 503;
    if (code === 'EAUTH') return 'temporary';
    return permanent && typeof command === 'string' && MESSAGE_COMMANDS.has(command) ? 'permanent' : 'temporary';
  }
  if (typeof code !== 'string') return 'unknown';
  if (SESSION_CODES.has(code)) return 'temporary';
  if (code === 'ETIMEDOUT' && typeof timeoutType === 'string' && EARLY_TIMEOUTS.has(timeoutType)) return 'temporary';
  if ((code === 'ESOCKET' || code === 'ECONNECTION') && typeof originalCode === 'string') {
    if (NEVER_CONNECTED.has(originalCode)) return 'temporary';
  }
  // Refused before the message went out: an invalid address, an empty message, or one larger than
  // the size the relay announced.
  if ((code === 'EENVELOPE' || code === 'EMESSAGE') && (command === 'API' || command === 'MAIL FROM')) {
    return 'permanent';
  }
  return 'unknown';
}
