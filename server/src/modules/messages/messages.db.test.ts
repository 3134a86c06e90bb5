import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asBrowser, createTestApp, signIn, type Browser, type TestApp } from '../../../../test/helpers/app.ts';
import { testEngine } from '../../../../test/helpers/db.ts';
import {
  makeAssessment,
  makeInstitution,
  makePairing,
  makeUser,
  TEST_PASSWORD,
  type School,
} from '../../../../test/helpers/factories.ts';
import { PDF, PNG, TEXT } from './test-files.ts';

/**
 * The thread of a pairing through the HTTP API on a fixed clock: who may read and write it, the
 * access log, files checked by content, unread and unanswered state, and the emails that say a
 * message arrived (with its text only for whoever asked for that).
 */
type Person = Awaited<ReturnType<typeof makeUser>>;
const MAX_BYTES = 4096;

/** A multipart/form-data body as a browser sends it. */
function multipart(fields: Record<string, string>, file?: { name: string; bytes: Buffer; type?: string }) {
  const boundary = `----medmentor${randomUUID()}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  if (file) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="attachment"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      file.bytes,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe(`messages on ${testEngine()}`, () => {
  let t: TestApp;
  let school: School;
  let student: Person;
  let mentor: Person;
  let otherMentor: Person;
  let mentorAssessor: Person;
  let director: Person;
  let dean: Person;
  let pairingId: string;
  const browsers = {} as Record<'student' | 'mentor' | 'otherMentor' | 'mentorAssessor' | 'director' | 'dean', Browser>;

  const db = () => t.ctx.db;
  const call = (who: keyof typeof browsers) => asBrowser(t.app, browsers[who]);
  const send = (who: keyof typeof browsers, body: string, pairing = pairingId, clientKey: string = randomUUID()) =>
    call(who)('POST', `/api/pairings/${pairing}/messages`, { body, clientKey });
  const upload = (
    who: keyof typeof browsers,
    fields: Record<string, string>,
    file?: { name: string; bytes: Buffer; type?: string },
  ) => {
    const form = multipart(fields, file);
    return t.app.inject({
      method: 'POST',
      url: `/api/pairings/${pairingId}/messages`,
      headers: {
        cookie: browsers[who].cookie,
        'x-csrf-token': browsers[who].csrfToken,
        'content-type': form.contentType,
      },
      payload: form.payload,
    });
  };
  const counts = async () => ({
    messages: Number(
      (
        await db()
          .selectFrom('messages')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ),
    attachments: Number(
      (
        await db()
          .selectFrom('message_attachments')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ),
  });
  const notificationsOf = (userId: string, kind = 'message_received') =>
    db()
      .selectFrom('notifications')
      .selectAll()
      .where('user_id', '=', userId)
      .where('kind', '=', kind as never)
      .orderBy('created_at')
      .execute();
  const emailsTo = (email: string) =>
    db().selectFrom('email_outbox').selectAll().where('to_address', '=', email).orderBy('created_at').execute();

  beforeAll(async () => {
    t = await createTestApp({ MESSAGE_ATTACHMENT_MAX_BYTES: String(MAX_BYTES) });
    school = await makeInstitution(db());
    student = await makeUser(db(), school, { roles: ['student'], name: 'Sofia Ramirez' });
    mentor = await makeUser(db(), school, { roles: ['mentor'], name: 'Amara Okafor' });
    otherMentor = await makeUser(db(), school, { roles: ['mentor'] });
    mentorAssessor = await makeUser(db(), school, { roles: ['mentor', 'assessor'] });
    director = await makeUser(db(), school, { roles: ['director'] });
    dean = await makeUser(db(), school, { roles: ['dean'] });
    pairingId = (await makePairing(db(), school, mentor.id, student.id)).id;
    await makePairing(db(), school, otherMentor.id, (await makeUser(db(), school, { roles: ['student'] })).id);
    for (const [name, person] of Object.entries({ student, mentor, otherMentor, mentorAssessor, director, dean })) {
      browsers[name as keyof typeof browsers] = await signIn(t.app, person.email, TEST_PASSWORD);
    }
  });
  afterAll(() => t.close());

  it('lets the student and the mentor write to each other, and logs every read by the mentor', async () => {
    const first = await send('student', 'Could we talk about my Step 1 timing?');
    expect(first.statusCode).toBe(201);
    expect((await send('mentor', 'Of course. Thursday after clinic?')).statusCode).toBe(201);

    const asStudent = await call('student')('GET', `/api/pairings/${pairingId}/messages`);
    expect(asStudent.statusCode).toBe(200);
    expect(asStudent.json()).toMatchObject({
      mySide: 'student',
      counterpart: { name: 'Amara Okafor', side: 'mentor' },
      canSend: true,
      messages: [
        { side: 'student', mine: true, body: 'Could we talk about my Step 1 timing?', senderName: 'Sofia Ramirez' },
        { side: 'mentor', mine: false, body: 'Of course. Thursday after clinic?' },
      ],
    });
    const before = await db().selectFrom('access_log').selectAll().where('student_id', '=', student.id).execute();
    expect(before).toHaveLength(0);

    expect((await call('mentor')('GET', `/api/pairings/${pairingId}/messages`)).statusCode).toBe(200);
    const logged = await db().selectFrom('access_log').selectAll().where('student_id', '=', student.id).execute();
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      actor_user_id: mentor.id,
      resource: 'messages',
      resource_id: pairingId,
      reason: 'mentor opened the message thread',
    });
  });

  it('refuses the mentor of another pairing, a mentor who assesses the student, the director and the dean', async () => {
    // The faculty member mentors a second student whom they also come to assess.
    const assessed = await makeUser(db(), school, { roles: ['student'] });
    const assessedPairing = (await makePairing(db(), school, mentorAssessor.id, assessed.id)).id;
    await makeAssessment(db(), school, mentorAssessor.id, { studentId: assessed.id });
    const logBefore = (await db().selectFrom('access_log').selectAll().execute()).length;
    for (const who of ['otherMentor', 'mentorAssessor', 'director', 'dean'] as const) {
      expect((await call(who)('GET', `/api/pairings/${pairingId}/messages`)).statusCode, who).toBe(403);
      expect((await send(who, 'Let me in')).statusCode, who).toBe(403);
    }
    expect((await call('mentorAssessor')('GET', `/api/pairings/${assessedPairing}/messages`)).statusCode).toBe(403);
    expect((await send('mentorAssessor', 'Hello', assessedPairing)).statusCode).toBe(403);
    // Refusals read nothing, so they log nothing.
    expect((await db().selectFrom('access_log').selectAll().execute()).length).toBe(logBefore);
  });

  it('closes an ended pairing to its mentor at once; its student keeps reading their history but cannot write', async () => {
    const s = await makeUser(db(), school, { roles: ['student'] });
    const pairing = await makePairing(db(), school, mentor.id, s.id);
    const sBrowser = await signIn(t.app, s.email, TEST_PASSWORD);
    expect(
      (
        await asBrowser(t.app, sBrowser)('POST', `/api/pairings/${pairing.id}/messages`, {
          body: 'Before the end',
          clientKey: randomUUID(),
        })
      ).statusCode,
    ).toBe(201);
    const file = multipart({ body: 'My notes', clientKey: randomUUID() }, { name: 'notes.txt', bytes: TEXT });
    const withFile = await t.app.inject({
      method: 'POST',
      url: `/api/pairings/${pairing.id}/messages`,
      headers: { cookie: sBrowser.cookie, 'x-csrf-token': sBrowser.csrfToken, 'content-type': file.contentType },
      payload: file.payload,
    });
    expect(withFile.statusCode).toBe(201);
    const attachmentId = (
      await db()
        .selectFrom('message_attachments')
        .select('id')
        .where('message_id', '=', withFile.json().id)
        .executeTakeFirstOrThrow()
    ).id;
    expect((await call('mentor')('GET', `/api/message-attachments/${attachmentId}`)).statusCode).toBe(200);
    await db()
      .updateTable('pairings')
      .set({ status: 'ended', ended_at: t.clock.now(), end_reason: 'No-fault change' })
      .where('id', '=', pairing.id)
      .execute();
    expect((await call('mentor')('GET', `/api/pairings/${pairing.id}/messages`)).statusCode).toBe(403);
    expect((await send('mentor', 'Still there?', pairing.id)).statusCode).toBe(403);
    expect((await call('mentor')('GET', `/api/message-attachments/${attachmentId}`)).statusCode).toBe(403);
    expect((await asBrowser(t.app, sBrowser)('GET', `/api/message-attachments/${attachmentId}`)).statusCode).toBe(200);
    const own = await asBrowser(t.app, sBrowser)('GET', `/api/pairings/${pairing.id}/messages`);
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({ pairingStatus: 'ended', canSend: false });
    expect(
      (
        await asBrowser(t.app, sBrowser)('POST', `/api/pairings/${pairing.id}/messages`, {
          body: 'After the end',
          clientKey: randomUUID(),
        })
      ).statusCode,
    ).toBe(403);
    const threads = (await call('mentor')('GET', '/api/me/message-threads')).json() as {
      threads: { pairingId: string }[];
    };
    expect(threads.threads.map((x) => x.pairingId)).not.toContain(pairing.id);
  });

  it('stores a file checked by its content and serves it as a download; the mentor’s download is logged', async () => {
    const response = await upload(
      'student',
      { body: 'My draft personal statement', clientKey: randomUUID() },
      { name: 'statement.pdf', bytes: PDF, type: 'application/pdf' },
    );
    expect(response.statusCode).toBe(201);
    const thread = (await call('student')('GET', `/api/pairings/${pairingId}/messages`)).json() as {
      messages: { id: string; attachment: { id: string; fileName: string; contentType: string } | null }[];
    };
    const attachment = thread.messages.at(-1)!.attachment!;
    expect(attachment).toMatchObject({
      fileName: 'statement.pdf',
      contentType: 'application/pdf',
      sizeBytes: PDF.length,
    });

    const download = await call('mentor')('GET', `/api/message-attachments/${attachment.id}`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toBe(
      `attachment; filename="statement.pdf"; filename*=UTF-8''statement.pdf`,
    );
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.headers['cache-control']).toBe('no-store');
    expect(Buffer.from(download.rawPayload).equals(PDF)).toBe(true);
    const log = await db()
      .selectFrom('access_log')
      .selectAll()
      .where('resource', '=', 'message attachment')
      .where('resource_id', '=', attachment.id)
      .execute();
    expect(log).toMatchObject([{ actor_user_id: mentor.id, student_id: student.id }]);

    for (const who of ['otherMentor', 'director', 'dean'] as const) {
      expect((await call(who)('GET', `/api/message-attachments/${attachment.id}`)).statusCode, who).toBe(403);
    }
    // A file with only an attachment and no text is a message too; text files pass by their bytes.
    expect(
      (await upload('mentor', { clientKey: randomUUID() }, { name: 'questions.txt', bytes: TEXT })).statusCode,
    ).toBe(201);
  });

  it('refuses an oversized or mislabelled file naming the attachment field, and stores nothing', async () => {
    const before = await counts();
    const tooBig = await upload(
      'student',
      { body: 'Here is my scan', clientKey: randomUUID() },
      { name: 'scan.pdf', bytes: Buffer.concat([PDF, Buffer.alloc(MAX_BYTES, 0x20)]) },
    );
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().error).toMatchObject({ code: 'payload_too_large', field: 'attachment' });
    expect(tooBig.json().error.message).toMatch(/larger than/);

    const mislabelled = await upload(
      'student',
      { body: 'My transcript', clientKey: randomUUID() },
      { name: 'transcript.pdf', bytes: PNG, type: 'application/pdf' },
    );
    expect(mislabelled.statusCode).toBe(422);
    expect(mislabelled.json().error).toMatchObject({ code: 'unprocessable', field: 'attachment' });
    expect(mislabelled.json().error.message).toMatch(/transcript\.pdf is named as a \.pdf file but its content is PNG/);

    const twoFiles = multipart({ body: 'x', clientKey: randomUUID() }, { name: 'a.txt', bytes: TEXT });
    const withSecond = Buffer.concat([
      twoFiles.payload.subarray(0, twoFiles.payload.lastIndexOf(`--${twoFiles.contentType.split('boundary=')[1]}--`)),
      Buffer.from(
        `--${twoFiles.contentType.split('boundary=')[1]}\r\nContent-Disposition: form-data; name="attachment"; filename="b.txt"\r\n\r\nsecond\r\n--${twoFiles.contentType.split('boundary=')[1]}--\r\n`,
      ),
    ]);
    const two = await t.app.inject({
      method: 'POST',
      url: `/api/pairings/${pairingId}/messages`,
      headers: {
        cookie: browsers.student.cookie,
        'x-csrf-token': browsers.student.csrfToken,
        'content-type': twoFiles.contentType,
      },
      payload: withSecond,
    });
    expect(two.statusCode).toBe(413);
    expect(two.json().error.field).toBe('attachment');

    expect(await counts()).toEqual(before);
  });

  it('names the field of bad input and stores one message for a double submit', async () => {
    const before = await counts();
    const empty = await send('student', '   ');
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error).toMatchObject({ field: 'body', message: 'Write a message or attach a file' });
    const badKey = await call('student')('POST', `/api/pairings/${pairingId}/messages`, {
      body: 'Hello',
      clientKey: 'twice',
    });
    expect(badKey.statusCode).toBe(400);
    expect(badKey.json().error.field).toBe('clientKey');
    const tooLong = await send('student', 'x'.repeat(10_001));
    expect(tooLong.json().error.field).toBe('body');
    expect(await counts()).toEqual(before);

    const key = randomUUID();
    const [a, b] = await Promise.all([
      send('student', 'Sent twice', pairingId, key),
      send('student', 'Sent twice', pairingId, key),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 201]);
    expect(a.json().id).toBe(b.json().id);
    expect((await counts()).messages).toBe(before.messages + 1);
  });

  it('tracks unread and unanswered per side, and the read marker never moves back', async () => {
    const s = await makeUser(db(), school, { roles: ['student'] });
    const m = await makeUser(db(), school, { roles: ['mentor'] });
    const pairing = (await makePairing(db(), school, m.id, s.id)).id;
    const sb = asBrowser(t.app, await signIn(t.app, s.email, TEST_PASSWORD));
    const mb = asBrowser(t.app, await signIn(t.app, m.email, TEST_PASSWORD));
    const say = (b: typeof sb, body: string) =>
      b('POST', `/api/pairings/${pairing}/messages`, { body, clientKey: randomUUID() });
    await say(sb, 'One');
    await say(sb, 'Two');
    const mentorView = (await mb('GET', '/api/me/message-threads')).json();
    expect(mentorView).toMatchObject({
      unread: 2,
      threads: [{ pairingId: pairing, unread: 2, awaitingMyReply: true }],
    });
    const thread = (await mb('GET', `/api/pairings/${pairing}/messages`)).json();
    expect(thread).toMatchObject({ unread: 2, lastReadSeq: 0, awaitingMyReply: true, awaitingTheirReply: false });
    const lastSeq = thread.messages.at(-1).seq;
    expect((await mb('POST', `/api/pairings/${pairing}/messages/read`, { upToSeq: lastSeq })).statusCode).toBe(204);
    expect((await mb('POST', `/api/pairings/${pairing}/messages/read`, { upToSeq: 0 })).statusCode).toBe(204);
    expect((await mb('GET', `/api/pairings/${pairing}/messages`)).json()).toMatchObject({
      unread: 0,
      lastReadSeq: lastSeq,
      awaitingMyReply: true,
    });
    await say(mb, 'Answer');
    expect((await mb('GET', `/api/pairings/${pairing}/messages`)).json()).toMatchObject({
      awaitingMyReply: false,
      awaitingTheirReply: true,
    });
    expect((await sb('GET', '/api/me/message-threads')).json()).toMatchObject({
      unread: 1,
      threads: [{ pairingId: pairing, unread: 1, awaitingMyReply: true, mySide: 'student' }],
    });
  });

  it('tells the other side once per unread stretch, by email without the text unless they asked for it', async () => {
    const s = await makeUser(db(), school, { roles: ['student'], name: 'Lena Novak' });
    const m = await makeUser(db(), school, { roles: ['mentor'], name: 'Omar Haddad' });
    const pairing = (await makePairing(db(), school, m.id, s.id)).id;
    const sb = asBrowser(t.app, await signIn(t.app, s.email, TEST_PASSWORD));
    const mb = asBrowser(t.app, await signIn(t.app, m.email, TEST_PASSWORD));
    const say = (b: typeof sb, body: string) =>
      b('POST', `/api/pairings/${pairing}/messages`, { body, clientKey: randomUUID() });
    const SECRET = 'I failed the shelf exam and have not told anyone';

    await say(sb, SECRET);
    await say(sb, 'Also, can we meet soon?');
    await say(sb, 'Sorry for the many messages');
    const notices = await notificationsOf(m.id);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ title: 'Lena Novak sent you a message', link: `/messages/${pairing}` });
    const emails = await emailsTo(m.email);
    expect(emails).toHaveLength(1);
    expect(emails[0]!.body_text).toContain(`/messages/${pairing}`);
    for (const part of [emails[0]!.body_text, emails[0]!.body_html, emails[0]!.subject, notices[0]!.body]) {
      expect(part).not.toContain('shelf exam');
    }

    // Read: the next message starts a new stretch, and a new notice.
    const thread = (await mb('GET', `/api/pairings/${pairing}/messages`)).json();
    await mb('POST', `/api/pairings/${pairing}/messages/read`, { upToSeq: thread.messages.at(-1).seq });
    expect((await mb('GET', '/api/me/notification-preferences/message-text')).json()).toEqual({
      includeMessageText: false,
    });
    expect(
      (await mb('PUT', '/api/me/notification-preferences/message-text', { includeMessageText: true })).json(),
    ).toEqual({ includeMessageText: true });
    await say(sb, 'The exam retake is on the 30th');
    const after = await notificationsOf(m.id);
    expect(after).toHaveLength(2);
    const withText = await emailsTo(m.email);
    expect(withText).toHaveLength(2);
    expect(withText[1]!.body_text).toContain('Lena Novak wrote:\n\nThe exam retake is on the 30th');
    // The in-app notice outlives the pairing, so it never carries the text.
    expect(after[1]!.body).not.toContain('retake');

    // Writing back means the writer has read the thread: the student's reply wakes no stale stretch.
    await say(mb, 'Thank you for telling me. Let us meet Thursday.');
    expect(await notificationsOf(s.id)).toHaveLength(1);
    expect((await emailsTo(s.email))[0]!.body_text).not.toContain('Thursday');
  });
});
