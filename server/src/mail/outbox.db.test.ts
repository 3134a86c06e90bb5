import type { Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, testEngine, type TestDatabase } from '../../../test/helpers/db.ts';
import { FixedClock, MINUTE } from '../clock.ts';
import { testConfig, type Config } from '../config.ts';
import type { AppContext } from '../context.ts';
import { createJobRunner, startJobRunner, type JobRunnerOptions } from '../jobs/job-runner.ts';
import { createMailer, type Mailer, type OutgoingMail } from './mailer.ts';
import { EMAIL_DEFAULTS, enqueueEmail, resolveUncertainEmail } from './outbox.ts';

interface Received {
  messageId: string;
  subject: string;
  to: string[];
}

type Reply = 'accept' | 'defer' | 'drop-after-storing';

/**
 * A real SMTP relay on loopback. It records every message it accepted (or stored before dropping
 * the connection), and can defer a message with 451, refuse a recipient with 550, or store a
 * message and cut the connection before answering the final dot: the classic lost acknowledgement.
 */
class LoopbackRelay {
  received: Received[] = [];
  reply: (subject: string) => Reply = () => 'accept';
  refused = new Set<string>();
  readonly #sockets = new Set<Socket>();
  #server!: SMTPServer;
  port = 0;

  async start() {
    this.#server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onRcptTo: (address, _session, callback) => {
        if (this.refused.has(address.address)) {
          return callback(Object.assign(new Error('No such mailbox'), { responseCode: 550 }));
        }
        callback();
      },
      onData: (stream, session, callback) => {
        let raw = '';
        stream.on('data', (chunk: Buffer) => (raw += chunk.toString()));
        stream.on('end', () => {
          const messageId = /^Message-ID:\s*(<[^>]+>)/im.exec(raw)?.[1] ?? '(none)';
          const subject = /^Subject:\s*(.*)$/im.exec(raw)?.[1]?.trim() ?? '';
          const message = { messageId, subject, to: session.envelope.rcptTo.map((r) => r.address) };
          const reply = this.reply(subject);
          if (reply === 'defer') return callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
          this.received.push(message);
          if (reply === 'drop-after-storing') {
            for (const socket of this.#sockets) socket.destroy();
            return;
          }
          callback();
        });
      },
    });
    this.#server.server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.port = (this.#server.server.address() as AddressInfo).port;
  }

  reset() {
    this.received = [];
    this.reply = () => 'accept';
    this.refused.clear();
  }

  timesReceived(messageId: string) {
    return this.received.filter((r) => r.messageId === messageId).length;
  }

  stop() {
    return new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

const never = () => new Promise<never>(() => {});

describe(`email outbox on ${testEngine()}, over a loopback SMTP relay`, () => {
  const relay = new LoopbackRelay();
  const mailers: Mailer[] = [];
  let database: TestDatabase;
  let config: Config;
  let clock: FixedClock;
  let ctx: AppContext;
  let logs: string[];

  beforeAll(async () => {
    await relay.start();
    database = await createTestDatabase();
    config = testConfig({
      SMTP_URL: `smtp://127.0.0.1:${relay.port}`,
      MAIL_FROM: 'medmentor <no-reply@school.example>',
    });
  });
  afterAll(async () => {
    for (const mailer of mailers) mailer.close();
    await database.close();
    await relay.stop();
  });
  beforeEach(async () => {
    await database.db.deleteFrom('email_outbox').execute();
    relay.reset();
    clock = new FixedClock('2026-09-15T14:00:00Z');
    ctx = { db: database.db, engine: database.engine, config, clock, mailer: smtpMailer() };
    logs = [];
  });

  /** A Mailer over SMTP, its own connection, as another app instance would have. */
  function smtpMailer(): Mailer {
    const mailer = createMailer(config, () => {});
    mailers.push(mailer);
    return mailer;
  }

  function runner(workerId: string, mailer: Mailer = smtpMailer(), options: JobRunnerOptions = {}) {
    return createJobRunner(
      { ...ctx, mailer },
      { workerId, definitions: [], random: () => 0.5, log: (line) => logs.push(line), ...options },
    );
  }

  async function queue(count: number, prefix = 'Message') {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const { id } = await enqueueEmail(database.db, {
        dedupeKey: `test:${prefix}:${i}`,
        to: `student${i}@school.example`,
        subject: `${prefix} ${i}`,
        text: `Hello ${i}`,
        html: `<p>Hello ${i}</p>`,
      });
      ids.push(id);
    }
    return ids;
  }

  const row = (id: string) =>
    database.db.selectFrom('email_outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const messageIdOf = (id: string) => `<${id}@school.example>`;

  it('queues one message per dedupe key, only if the caller’s transaction commits', async () => {
    const email = { dedupeKey: 'password-reset:abc', to: 'a@school.example', subject: 'Reset', text: 't', html: 'h' };
    const first = await enqueueEmail(database.db, email);
    const again = await enqueueEmail(database.db, { ...email, subject: 'Reset (clicked twice)' });
    expect(first.created).toBe(true);
    expect(again).toEqual({ id: first.id, created: false });
    await database.db
      .transaction()
      .execute(async (trx) => {
        await enqueueEmail(trx, { ...email, dedupeKey: 'password-reset:rolled-back' });
        throw new Error('the change failed');
      })
      .catch(() => {});
    const rows = await database.db.selectFrom('email_outbox').select(['dedupe_key', 'subject']).execute();
    expect(rows).toEqual([{ dedupe_key: 'password-reset:abc', subject: 'Reset' }]);
  });

  it('delivers each queued message once, with a Message-ID derived from its outbox id', async () => {
    const ids = await queue(3);
    const result = await runner('a', ctx.mailer).deliverDueEmail();
    expect(result).toEqual({ sent: 3, retrying: 0, failed: 0, uncertain: 0 });
    // Sent side by side, so they may reach the relay in any order.
    expect(relay.received.map((r) => r.messageId).sort()).toEqual(ids.map(messageIdOf).sort());
    expect(relay.received.map((r) => r.to[0]).sort()).toEqual([
      'student0@school.example',
      'student1@school.example',
      'student2@school.example',
    ]);
    for (const id of ids) {
      expect(await row(id)).toMatchObject({
        status: 'sent',
        attempts: 1,
        message_id: messageIdOf(id),
        sent_at: clock.now(),
        claim_until: null,
      });
    }
    expect(await runner('a', ctx.mailer).deliverDueEmail()).toEqual({ sent: 0, retrying: 0, failed: 0, uncertain: 0 });
    expect(relay.received).toHaveLength(3);
  });

  it('retries a message the relay defers (451) after a backoff, keeping its Message-ID, and delivers it once', async () => {
    const [id] = await queue(1);
    let deferrals = 2;
    relay.reply = () => (deferrals-- > 0 ? 'defer' : 'accept');
    const r = runner('a');

    expect(await r.deliverDueEmail()).toMatchObject({ retrying: 1 });
    const afterFirst = await row(id!);
    // 30s base, equal jitter at 0.5 -> 22.5s
    expect(afterFirst).toMatchObject({ status: 'pending', attempts: 1 });
    expect(afterFirst.next_attempt_at!.getTime() - clock.now().getTime()).toBe(22_500);
    expect(afterFirst.last_error).toMatch(/451/);

    clock.advance(22_499);
    expect(await r.deliverDueEmail()).toMatchObject({ sent: 0, retrying: 0 });
    clock.advance(1);
    expect(await r.deliverDueEmail()).toMatchObject({ retrying: 1 });
    expect((await row(id!)).next_attempt_at!.getTime() - clock.now().getTime()).toBe(45_000);
    clock.advance(45_000);
    expect(await r.deliverDueEmail()).toMatchObject({ sent: 1 });

    expect(await row(id!)).toMatchObject({ status: 'sent', attempts: 3, last_error: null });
    expect(relay.timesReceived(messageIdOf(id!))).toBe(1);
  });

  it('marks a message failed when the relay refuses its recipient (550), and never retries it', async () => {
    const [refused, fine] = await queue(2);
    relay.refused.add('student0@school.example');
    expect(await runner('a').deliverDueEmail()).toMatchObject({ sent: 1, failed: 1 });
    expect(await row(refused!)).toMatchObject({ status: 'failed', attempts: 1 });
    expect((await row(refused!)).last_error).toMatch(/550/);
    clock.advance(24 * 60 * MINUTE);
    await runner('a').deliverDueEmail();
    expect(await row(refused!)).toMatchObject({ status: 'failed', attempts: 1 });
    expect(await row(fine!)).toMatchObject({ status: 'sent' });
  });

  it('marks a message failed after its last deferred attempt', async () => {
    const [id] = await queue(1);
    relay.reply = () => 'defer';
    const r = runner('a', smtpMailer(), { email: { maxAttempts: 3 } });
    for (let i = 0; i < 5; i++) {
      await r.deliverDueEmail();
      clock.advance(60 * MINUTE);
    }
    expect(await row(id!)).toMatchObject({ status: 'failed', attempts: 3 });
    expect(relay.received).toHaveLength(0);
  });

  it('a runner killed after the relay accepted a message: on restart every message is delivered exactly once', async () => {
    const ids = await queue(5);
    // The process "dies" right after the relay accepted the third message, before recording it sent.
    // (Messages queued in the same instant go out in id order, so which one is third is not fixed.)
    const real = smtpMailer();
    let sent = 0;
    let stuckSubject = '';
    const dying: Mailer = {
      async send(mail: OutgoingMail) {
        await real.send(mail);
        if (++sent === 3) {
          stuckSubject = mail.subject;
          await never();
        }
      },
      close: () => real.close(),
    };
    void runner('killed', dying).deliverDueEmail();
    await vi.waitFor(() => expect(relay.received).toHaveLength(3), { timeout: 10_000 });
    const stuck = ids[Number(stuckSubject.split(' ')[1])]!;
    expect(await row(stuck)).toMatchObject({ status: 'sending', claimed_by: 'killed' });

    // A restarted instance, after the dead one's lease ran out.
    clock.advance(EMAIL_DEFAULTS.leaseMs);
    const restarted = runner('restarted');
    expect(await restarted.deliverDueEmail()).toMatchObject({ sent: 2 });
    expect(await restarted.deliverDueEmail()).toMatchObject({ sent: 0 });

    for (const id of ids) expect(relay.timesReceived(messageIdOf(id))).toBe(1);
    expect(relay.received).toHaveLength(5);
    expect(await row(stuck)).toMatchObject({ status: 'uncertain', claim_until: null });
    expect(logs.join('\n')).toContain(`email ${stuck}: its sender stopped mid-send; now uncertain, not resent`);
    for (const id of ids.filter((id) => id !== stuck)) expect(await row(id)).toMatchObject({ status: 'sent' });

    // Someone finds the Message-ID in the relay's log and records it.
    expect(await resolveUncertainEmail(ctx, stuck, 'sent')).toBe(true);
    expect(await row(stuck)).toMatchObject({ status: 'sent' });
    expect(await resolveUncertainEmail(ctx, stuck, 'resend')).toBe(false);
  });

  it('a runner killed before the relay saw the message: held as uncertain (never sent twice) until someone resends it', async () => {
    const [id] = await queue(1);
    const hangs: Mailer = { send: never, close: () => {} };
    void runner('killed', hangs).deliverDueEmail();
    await vi.waitFor(async () => expect(await row(id!)).toMatchObject({ status: 'sending' }), { timeout: 10_000 });

    clock.advance(EMAIL_DEFAULTS.leaseMs);
    const restarted = runner('restarted');
    await restarted.deliverDueEmail();
    // Nothing proves the relay did not get it, so it is not sent again by itself: at most once.
    expect(await row(id!)).toMatchObject({ status: 'uncertain' });
    expect(relay.received).toHaveLength(0);

    // The relay's log has no such Message-ID: send it.
    expect(await resolveUncertainEmail(ctx, id!, 'resend')).toBe(true);
    expect(await restarted.deliverDueEmail()).toMatchObject({ sent: 1 });
    expect(relay.timesReceived(messageIdOf(id!))).toBe(1);
    expect(await row(id!)).toMatchObject({ status: 'sent', attempts: 2, message_id: messageIdOf(id!) });
  });

  it('a connection lost after the final dot leaves the message uncertain, not resent', async () => {
    const [lost, next] = await queue(2);
    relay.reply = (subject) => (subject === 'Message 0' ? 'drop-after-storing' : 'accept');
    expect(await runner('a').deliverDueEmail()).toMatchObject({ uncertain: 1, sent: 1 });
    expect(await row(lost!)).toMatchObject({ status: 'uncertain' });
    expect((await row(lost!)).last_error).toMatch(/^Uncertain: /);
    clock.advance(60 * MINUTE);
    await runner('b').deliverDueEmail();
    expect(relay.timesReceived(messageIdOf(lost!))).toBe(1);
    expect(relay.timesReceived(messageIdOf(next!))).toBe(1);
  });

  it('records a slow acceptance as sent even after the lease ran out and another instance looked', async () => {
    const [id] = await queue(1);
    const real = smtpMailer();
    const other = runner('other');
    const slow: Mailer = {
      async send(mail) {
        // While this send is slow, the lease runs out and another instance sweeps the outbox.
        clock.advance(EMAIL_DEFAULTS.leaseMs + 1);
        await other.deliverDueEmail();
        expect(await row(id!)).toMatchObject({ status: 'uncertain' });
        await real.send(mail);
      },
      close: () => real.close(),
    };
    expect(await runner('slow', slow).deliverDueEmail()).toMatchObject({ sent: 1 });
    expect(await row(id!)).toMatchObject({ status: 'sent', claimed_by: 'slow' });
    expect(relay.timesReceived(messageIdOf(id!))).toBe(1);
  });

  it('two runners sending the same outbox never send one message twice', async () => {
    const ids = await queue(30);
    const runners = [runner('a'), runner('b')];
    const results = await Promise.all(runners.map((r) => r.deliverDueEmail()));
    expect(results.reduce((n, r) => n + r.sent, 0)).toBe(30);
    for (const id of ids) expect(relay.timesReceived(messageIdOf(id))).toBe(1);
    expect(relay.received).toHaveLength(30);
    const senders = await database.db
      .selectFrom('email_outbox')
      .select(['claimed_by', (eb) => eb.fn.countAll<number>().as('n')])
      .where('status', '=', 'sent')
      .groupBy('claimed_by')
      .execute();
    // Both did part of the work, side by side.
    expect(senders).toHaveLength(2);
  });

  it('once started, sends queued email by itself; stop() waits for the message on the wire', async () => {
    const real = smtpMailer();
    let onTheWire = false;
    const slow: Mailer = {
      async send(mail) {
        onTheWire = true;
        await new Promise((resolve) => setTimeout(resolve, 100));
        await real.send(mail);
      },
      close: () => real.close(),
    };
    const running = startJobRunner(
      { ...ctx, mailer: slow },
      { definitions: [], workerId: 'started', pollIntervalMs: 5, log: () => {} },
    );
    const [id] = await queue(1);
    await vi.waitFor(() => expect(onTheWire).toBe(true), { timeout: 10_000 });
    await running.stop();
    expect(await row(id!)).toMatchObject({ status: 'sent' });
    expect(relay.timesReceived(messageIdOf(id!))).toBe(1);
  });
});
