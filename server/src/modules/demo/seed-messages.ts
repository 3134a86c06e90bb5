/**
 * The demo school's messages: the demo student and the demo mentor talking about Step 1 (with a
 * file), one of the demo mentor's mentees waiting four working days for an answer (the reminder
 * comes on the first sweep), and, in the longitudinal program, a pairing whose mentor has left a
 * student waiting past the second limit, so the director's responsiveness page lists it and the
 * student is offered another mentor on the first sweep.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { DEMO_EMAIL_DOMAIN, LONGITUDINAL_PROGRAM_SLUG, type DemoSchool } from './seed-demo.ts';
import { addWorkingHours } from '../messages/working-time.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

const QUESTIONS = `Questions for our next meeting
- Is a dedicated study period of six weeks enough for Step 1?
- Should I take the research elective before or after surgery?
- How do you keep up with reading on a busy rotation?
`;

export async function seedDemoMessages(trx: Transaction<DB>, school: DemoSchool, now: Date): Promise<void> {
  const user = (local: string) => school.users.find((u) => u.email === `${local}@${DEMO_EMAIL_DOMAIN}`)!;
  const mentor = user('mentor');
  const student = user('student');
  const program = school.programs.find((p) => p.slug === LONGITUDINAL_PROGRAM_SLUG)!;
  const timeZone = school.institution.time_zone ?? 'America/New_York';

  async function write(
    pairingId: string,
    senderId: string,
    side: 'student' | 'mentor',
    body: string,
    at: Date,
    file?: { name: string; content: string },
  ) {
    const message = await trx
      .insertInto('messages')
      .values({
        pairing_id: pairingId,
        sender_id: senderId,
        sender_side: side,
        body,
        has_attachment: file !== undefined,
        client_key: randomUUID(),
        created_at: at,
      })
      .returning(['id', 'seq'])
      .executeTakeFirstOrThrow();
    if (file) {
      const bytes = Buffer.from(file.content);
      await trx
        .insertInto('message_attachments')
        .values({
          message_id: message.id,
          file_name: file.name,
          content_type: 'text/plain',
          size_bytes: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          content: bytes,
        })
        .execute();
    }
    await trx
      .insertInto('message_reads')
      .values({ pairing_id: pairingId, user_id: senderId, last_read_seq: Number(message.seq), read_at: at })
      .onConflict((oc) => oc.columns(['pairing_id', 'user_id']).doUpdateSet({ last_read_seq: Number(message.seq) }))
      .execute();
    return message;
  }
  const ago = (days: number, hours = 0) => new Date(now.getTime() - days * DAY_MS - hours * HOUR_MS);

  // The demo pair: a conversation the mentor has answered; the student's last message is new to them.
  const demoPairing = await trx
    .selectFrom('pairings')
    .select('id')
    .where('mentor_id', '=', mentor.id!)
    .where('student_id', '=', student.id!)
    .where('status', '=', 'active')
    .executeTakeFirst();
  if (demoPairing) {
    await write(
      demoPairing.id,
      student.id!,
      'student',
      'Hi Dr. Okafor, I am starting to plan my Step 1 dedicated period and feel a bit lost. Could we talk about it at our next meeting? I wrote my questions down.',
      ago(3, 5),
      { name: 'step1-questions.txt', content: QUESTIONS },
    );
    await write(
      demoPairing.id,
      mentor.id!,
      'mentor',
      'Of course, Sofia. Good questions. Bring your practice test scores if you have them, and we will build a week-by-week plan together.',
      ago(2, 20),
    );
    await write(
      demoPairing.id,
      student.id!,
      'student',
      'Thank you! I have two NBME practice scores so far. I will bring both.',
      ago(1, 2),
    );
  }

  // A mentee of the demo mentor who has waited four working days: the first sweep reminds the mentor.
  const mentees = await trx
    .selectFrom('pairings as p')
    .innerJoin('users as s', 's.id', 'p.student_id')
    .select(['p.id', 'p.student_id'])
    .where('p.mentor_id', '=', mentor.id!)
    .where('p.student_id', '<>', student.id!)
    .where('p.status', '=', 'active')
    .orderBy('s.family_name', 'desc')
    .orderBy('s.given_name', 'desc')
    .limit(1)
    .execute();
  for (const mentee of mentees) {
    let sent = ago(4);
    while (addWorkingHours(sent, 4 * 24, timeZone).getTime() > now.getTime()) sent = new Date(sent.getTime() - DAY_MS);
    await write(
      mentee.id,
      mentee.student_id,
      'student',
      'Hello, could you write me a short note for the away-rotation application? The deadline is in two weeks.',
      sent,
    );
  }

  // In the longitudinal program, a student left waiting past the second limit (7 working days).
  const waiting = await trx
    .selectFrom('pairings as p')
    .innerJoin('users as s', 's.id', 'p.student_id')
    .select(['p.id', 'p.student_id'])
    .where('p.program_id', '=', program.id!)
    .where('p.mentor_id', '<>', mentor.id!)
    .where('p.student_id', '<>', student.id!)
    .where('p.status', '=', 'active')
    .orderBy('s.family_name', 'desc')
    .orderBy('s.given_name', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (waiting) {
    let sent = ago(12);
    while (addWorkingHours(sent, 8 * 24, timeZone).getTime() > now.getTime()) sent = new Date(sent.getTime() - DAY_MS);
    await write(
      waiting.id,
      waiting.student_id,
      'student',
      'I am finding the transition to clerkships hard and would like to talk when you have time.',
      sent,
    );
    await trx
      .insertInto('pairing_unresponsive_periods')
      .values({
        pairing_id: waiting.id,
        program_id: program.id!,
        waiting_on: 'message',
        waiting_since: sent,
        unresponsive_since: addWorkingHours(sent, 7 * 24, timeZone),
      })
      .execute();
  }
}
