import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { AppContext } from '../context.ts';
import type { DB, EmailAttachment } from '../db/schema.ts';
import { retryDelay, type BackoffPolicy } from '../jobs/backoff.ts';
import type { OutgoingMail } from './mailer.ts';
import { classifySendFailure } from './outbox-failures.ts';
import {
  claimNextEmail,
  insertOutboxRow,
  listUncertainRows,
  markEmailNotSent,
  markEmailSent,
  markStaleSendsUncertain,
  resolveUncertainRow,
  type EmailAttempt,
  type UncertainEmailRow,
} from './outbox.repository.ts';

export interface EmailToQueue {
  /** Names the notification, e.g. `meeting-reminder:<meetingId>:24h`; the same key is queued once. */
  dedupeKey: string;
  /** One bare address. */
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Small files to send along, e.g. the meeting's .ics; stored with the message. */
  attachments?: EmailAttachment[] | undefined;
}

/**
 * Queues an email to be sent exactly once. Call it with the transaction that makes the change the
 * email is about, so the email exists if and only if the change commits. A second call with the
 * same dedupe key (a retried job, a double click, another instance) queues nothing and returns
 * the first message's id.
 */
export async function enqueueEmail(db: Kysely<DB>, email: EmailToQueue): Promise<{ id: string; created: boolean }> {
  return insertOutboxRow(db, email);
}

/**
 * Messages whose sender could not tell whether the relay accepted them (see docs/reliability.md),
 * oldest first: each waits for a person to search the relay's log for its Message-ID.
 */
export async function listUncertainEmails(ctx: Pick<AppContext, 'db'>): Promise<UncertainEmailRow[]> {
  return listUncertainRows(ctx.db);
}

/**
 * A person's answer to an `uncertain` message (see docs/reliability.md): `sent` when the relay's
 * log shows its Message-ID, `resend` when it does not. False when the message is not uncertain.
 */
export async function resolveUncertainEmail(
  ctx: Pick<AppContext, 'db' | 'clock'>,
  id: string,
  outcome: 'sent' | 'resend',
): Promise<boolean> {
  return resolveUncertainRow(ctx.db, id, outcome, ctx.clock.now());
}

/** The domain of Message-IDs: the sender address's, so it names a domain the school controls. */
export function messageIdDomain(config: Pick<Config, 'MAIL_FROM' | 'PUBLIC_URL'>): string {
  const sender = /@([A-Za-z0-9.-]+)>?\s*$/.exec(config.MAIL_FROM);
  if (sender) return sender[1]!.toLowerCase();
  return new URL(config.PUBLIC_URL).hostname || 'medmentor.localhost';
}

export interface EmailDeliveryOptions {
  /** Names this sender in `claimed_by`; unique per process. */
  workerId: string;
  /** Messages to send in this call at most. */
  limit?: number;
  /** How long a `sending` mark stands before the message is reported `uncertain`. */
  leaseMs?: number;
  /** Attempts (each one proven not delivered) before a message is `failed`. */
  maxAttempts?: number;
  backoff?: BackoffPolicy;
  random?: () => number;
  /** Checked between messages; a message already on the wire is always finished. */
  shouldStop?: () => boolean;
  log?: (message: string) => void;
}

export interface EmailDeliveryResult {
  sent: number;
  retrying: number;
  failed: number;
  uncertain: number;
}

export const EMAIL_DEFAULTS = {
  limit: 50,
  leaseMs: 10 * 60_000,
  maxAttempts: 8,
  backoff: { baseMs: 30_000, maxMs: 60 * 60_000 } satisfies BackoffPolicy,
};

/**
 * Sends due messages one at a time through `ctx.mailer`:
 *
 * 1. mark the message `sending` (committed) — from here on it is never sent again automatically
 *    unless a failure proves the relay did not take it;
 * 2. hand it to the relay with a Message-ID derived from the outbox id, the same on every attempt;
 * 3. record `sent`, or `pending` with a backoff (proven not sent, worth retrying), `failed`
 *    (refused for good, or out of attempts) or `uncertain` (the relay may have it).
 *
 * Messages whose sender stopped between 1 and 3 are found by their expired lease and reported
 * `uncertain`, not resent.
 */
export async function deliverDueEmail(
  ctx: Pick<AppContext, 'db' | 'clock' | 'mailer' | 'config'>,
  options: EmailDeliveryOptions,
): Promise<EmailDeliveryResult> {
  const limit = options.limit ?? EMAIL_DEFAULTS.limit;
  const leaseMs = options.leaseMs ?? EMAIL_DEFAULTS.leaseMs;
  const maxAttempts = options.maxAttempts ?? EMAIL_DEFAULTS.maxAttempts;
  const backoff = options.backoff ?? EMAIL_DEFAULTS.backoff;
  const random = options.random ?? Math.random;
  const log = options.log ?? (() => {});
  const domain = messageIdDomain(ctx.config);
  const result: EmailDeliveryResult = { sent: 0, retrying: 0, failed: 0, uncertain: 0 };

  const stale = await markStaleSendsUncertain(ctx.db, ctx.clock.now());
  for (const id of stale) log(`email ${id}: its sender stopped mid-send; now uncertain, not resent`);

  for (let n = 0; n < limit && !options.shouldStop?.(); n++) {
    const email = await claimNextEmail(ctx.db, {
      workerId: options.workerId,
      now: ctx.clock.now(),
      leaseMs,
      messageIdDomain: domain,
    });
    if (!email) break;
    const attempt: EmailAttempt = { id: email.id, workerId: options.workerId, attempt: email.attempts };
    // Mailer.send passes extra fields through to Nodemailer, which writes them as the Message-ID
    // header; the outbox test checks that the header arrives.
    const mail: OutgoingMail & { messageId: string } = {
      to: email.to_address,
      subject: email.subject,
      text: email.body_text,
      html: email.body_html,
      messageId: email.message_id,
      ...(email.attachments.length > 0 ? { attachments: email.attachments } : {}),
    };
    let failure: unknown;
    let delivered = false;
    try {
      await ctx.mailer.send(mail);
      delivered = true;
    } catch (error) {
      failure = error;
    }
    if (delivered) {
      await persist(() => markEmailSent(ctx.db, attempt, ctx.clock.now()));
      result.sent++;
      continue;
    }
    const kind = classifySendFailure(failure);
    const error = describe(failure);
    if (kind === 'unknown') {
      await persist(() => markEmailNotSent(ctx.db, attempt, { status: 'uncertain', error: `Uncertain: ${error}` }));
      log(`email ${email.id}: the relay may have accepted it (${error}); now uncertain, not resent`);
      result.uncertain++;
    } else if (kind === 'permanent' || email.attempts >= maxAttempts) {
      await persist(() => markEmailNotSent(ctx.db, attempt, { status: 'failed', error }));
      log(`email ${email.id}: not delivered after ${email.attempts} attempt(s): ${error}`);
      result.failed++;
    } else {
      const retryAt = new Date(ctx.clock.now().getTime() + retryDelay(email.attempts, backoff, random));
      await persist(() => markEmailNotSent(ctx.db, attempt, { status: 'pending', retryAt, error }));
      result.retrying++;
    }
  }
  return result;
}

/**
 * Writes an outcome, retrying briefly: after the relay accepted a message, losing the `sent`
 * record to a momentary database error would leave the message `uncertain` for a person to check.
 */
async function persist(write: () => Promise<boolean>): Promise<void> {
  for (const waitMs of [100, 1_000]) {
    try {
      await write();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
  await write();
}

function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.slice(0, 2000);
}
