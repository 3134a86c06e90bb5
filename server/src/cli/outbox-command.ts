import type { AppContext } from '../context.ts';
import { listUncertainEmails, resolveUncertainEmail } from '../mail/outbox.ts';

export const OUTBOX_USAGE = `Usage:
  medmentor outbox list-uncertain           list emails that may or may not have reached the relay
  medmentor outbox resolve <id> --sent      the relay's log shows the Message-ID: record it as sent
  medmentor outbox resolve <id> --resend    the relay's log does not show it: send it again (once)`;

export interface CommandOutput {
  log(line: string): void;
  error(line: string): void;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `medmentor outbox`: the person's side of the outbox's `uncertain` state (docs/reliability.md).
 * A sender that could not tell whether the relay took a message never resends it by itself; an
 * operator looks its Message-ID up in the relay's log and answers here. Exit codes: 0 done,
 * 1 nothing to resolve (no such uncertain message), 2 a usage mistake.
 */
export async function runOutboxCommand(
  ctx: Pick<AppContext, 'db' | 'clock'>,
  args: string[],
  flags: { sent?: boolean | undefined; resend?: boolean | undefined },
  out: CommandOutput = console,
): Promise<number> {
  const [action, id, ...extra] = args;
  if (action === 'list-uncertain') {
    if (id === undefined) return listUncertain(ctx, out);
    out.error(`"list-uncertain" takes no arguments.\n\n${OUTBOX_USAGE}`);
    return 2;
  }
  if (action !== 'resolve') {
    out.error(action ? `Unknown outbox command "${action}".\n\n${OUTBOX_USAGE}` : OUTBOX_USAGE);
    return 2;
  }
  if (!id || extra.length > 0) {
    out.error(`Name one message: medmentor outbox resolve <id> --sent|--resend\n\n${OUTBOX_USAGE}`);
    return 2;
  }
  if (!UUID.test(id)) {
    out.error(`"${id}" is not a message id; "medmentor outbox list-uncertain" shows the ids.`);
    return 2;
  }
  if (Boolean(flags.sent) === Boolean(flags.resend)) {
    out.error('Say what the relay’s log shows: --sent (it has the message) or --resend (it does not).');
    return 2;
  }
  const outcome = flags.sent ? 'sent' : 'resend';
  if (!(await resolveUncertainEmail(ctx, id, outcome))) {
    out.error(`No uncertain message has the id ${id}; it may be resolved already.`);
    return 1;
  }
  out.log(
    outcome === 'sent'
      ? `Recorded message ${id} as sent; it will not be sent again.`
      : `Queued message ${id} to be sent again, with the same Message-ID, by the next delivery run.`,
  );
  return 0;
}

async function listUncertain(ctx: Pick<AppContext, 'db'>, out: CommandOutput): Promise<number> {
  const emails = await listUncertainEmails(ctx);
  if (emails.length === 0) {
    out.log('No uncertain emails: every message is sent, queued or failed for a known reason.');
    return 0;
  }
  out.log(
    `${emails.length} uncertain email${emails.length === 1 ? '' : 's'}. Look each Message-ID up in the relay's log,` +
      ' then run "medmentor outbox resolve <id> --sent" or "--resend".',
  );
  for (const email of emails) {
    out.log('');
    out.log(`id          ${email.id}`);
    out.log(`Message-ID  ${email.message_id ?? '(none: never handed to the relay)'}`);
    out.log(`to          ${email.to_address}`);
    out.log(`subject     ${email.subject}`);
    out.log(`queued      ${email.created_at.toISOString()}, ${email.attempts} attempt(s)`);
    if (email.last_error) out.log(`why         ${email.last_error}`);
  }
  return 0;
}
