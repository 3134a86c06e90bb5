import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testEngine, type TestDatabase } from '../../../test/helpers/db.ts';
import { FixedClock } from '../clock.ts';
import { enqueueEmail } from '../mail/outbox.ts';
import { runOutboxCommand } from './outbox-command.ts';

/** What the command printed, and its exit code. */
async function run(
  ctx: Parameters<typeof runOutboxCommand>[0],
  args: string[],
  flags: { sent?: boolean; resend?: boolean } = {},
) {
  const log: string[] = [];
  const error: string[] = [];
  const code = await runOutboxCommand(ctx, args, flags, {
    log: (line) => log.push(line),
    error: (line) => error.push(line),
  });
  return { code, out: log.join('\n'), err: error.join('\n') };
}

describe(`medmentor outbox on ${testEngine()}`, () => {
  let database: TestDatabase;
  let ctx: Parameters<typeof runOutboxCommand>[0];
  const clock = new FixedClock('2026-09-15T14:00:00Z');
  let queued = 0;

  /** Queues a message and puts it in `status`, as the sender would have left it. */
  async function email(key: string, status: 'uncertain' | 'sent' | 'pending' | 'failed') {
    const { id } = await enqueueEmail(database.db, {
      dedupeKey: key,
      to: `${key}@example.edu`,
      subject: `Subject of ${key}`,
      text: 'text',
      html: '<p>text</p>',
    });
    await database.db
      .updateTable('email_outbox')
      .set({
        status,
        attempts: 1,
        message_id: `<${id}@example.edu>`,
        last_error: status === 'uncertain' ? 'Uncertain: connection reset after the final dot' : null,
        sent_at: status === 'sent' ? clock.now() : null,
        // Queued a minute apart, so "oldest first" has one answer.
        created_at: new Date(clock.now().getTime() - 60_000 * (1000 - ++queued)),
      })
      .where('id', '=', id)
      .execute();
    return id;
  }

  const statusOf = async (id: string) =>
    (await database.db.selectFrom('email_outbox').select('status').where('id', '=', id).executeTakeFirstOrThrow())
      .status;

  beforeAll(async () => {
    database = await createTestDatabase();
    ctx = { db: database.db, clock };
  });
  afterAll(() => database.close());

  it('says so when nothing is uncertain', async () => {
    await email('already-sent', 'sent');
    const result = await run(ctx, ['list-uncertain']);
    expect(result.code).toBe(0);
    expect(result.out).toContain('No uncertain emails');
  });

  it('lists uncertain messages only, with what the relay’s log is searched for', async () => {
    const first = await email('reminder-1', 'uncertain');
    const second = await email('reminder-2', 'uncertain');
    const waiting = await email('queued', 'pending');
    const failed = await email('refused', 'failed');
    const result = await run(ctx, ['list-uncertain']);
    expect(result.code).toBe(0);
    expect(result.out).toContain('2 uncertain emails');
    expect(result.out).toContain(`<${first}@example.edu>`);
    expect(result.out).toContain('reminder-1@example.edu');
    expect(result.out).toContain('Subject of reminder-2');
    expect(result.out).toContain('connection reset after the final dot');
    expect(result.out.indexOf(first)).toBeLessThan(result.out.indexOf(second));
    expect(result.out).not.toContain(waiting);
    expect(result.out).not.toContain(failed);
  });

  it('records a message the relay has as sent, once', async () => {
    const id = await email('seen-in-relay-log', 'uncertain');
    const result = await run(ctx, ['resolve', id], { sent: true });
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toContain('as sent');
    expect(await statusOf(id)).toBe('sent');
    // Asked again, there is nothing left to resolve, and nothing changes.
    const again = await run(ctx, ['resolve', id], { resend: true });
    expect(again.code).toBe(1);
    expect(again.err).toContain('No uncertain message has the id');
    expect(await statusOf(id)).toBe('sent');
    expect((await run(ctx, ['list-uncertain'])).out).not.toContain(id);
  });

  it('queues a message the relay never saw to be sent again, keeping its Message-ID', async () => {
    const id = await email('not-in-relay-log', 'uncertain');
    const result = await run(ctx, ['resolve', id], { resend: true });
    expect(result.code).toBe(0);
    const row = await database.db
      .selectFrom('email_outbox')
      .select(['status', 'next_attempt_at', 'message_id'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'pending', next_attempt_at: null, message_id: `<${id}@example.edu>` });
  });

  it('refuses to touch a message that is not uncertain', async () => {
    const failed = await email('bounced', 'failed');
    const pending = await email('waiting', 'pending');
    expect((await run(ctx, ['resolve', failed], { resend: true })).code).toBe(1);
    expect((await run(ctx, ['resolve', pending], { sent: true })).code).toBe(1);
    expect(await statusOf(failed)).toBe('failed');
    expect(await statusOf(pending)).toBe('pending');
  });

  it('explains each usage mistake and changes nothing', async () => {
    const id = await email('left-alone', 'uncertain');
    const cases: [string[], { sent?: boolean; resend?: boolean }, RegExp][] = [
      [['resolve', id], {}, /--sent .*--resend/],
      [['resolve', id], { sent: true, resend: true }, /--sent .*--resend/],
      [['resolve'], { sent: true }, /Name one message/],
      [['resolve', id, 'extra'], { sent: true }, /Name one message/],
      [['resolve', 'not-an-id'], { sent: true }, /"not-an-id" is not a message id/],
      [['retry-all'], {}, /Unknown outbox command "retry-all"/],
      [[], {}, /list-uncertain/],
      [['list-uncertain', id], {}, /takes no arguments/],
    ];
    for (const [args, flags, message] of cases) {
      const result = await run(ctx, args, flags);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.err, args.join(' ')).toMatch(message);
    }
    expect(await statusOf(id)).toBe('uncertain');
  });
});
