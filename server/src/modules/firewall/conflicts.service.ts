import { sql } from 'kysely';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../errors.ts';
import { escapeHtml } from '../../mail/mailer.ts';
import type { Actor } from '../../policy/actor.ts';
import { authorize } from '../../policy/policy.ts';
import * as repo from './firewall.repository.ts';
import { insertCheckedPairing } from './pairings.service.ts';

/**
 * The conflict queue: active pairs whose mentor came to assess the student after they were paired.
 * The database flags them (a trigger on every path that creates an assessment fact); the program
 * director resolves each one by reassigning the student or ending the pairing. Nothing is kept silently.
 */
export async function listConflicts(
  ctx: AppContext,
  actor: Actor | null,
  programId: string,
  status: 'open' | 'resolved',
) {
  await authorize(ctx, actor, 'program.manage', { programId });
  return ctx.db
    .selectFrom('pairing_conflicts as c')
    .innerJoin('pairings', 'pairings.id', 'c.pairing_id')
    .innerJoin('users as s', 's.id', 'pairings.student_id')
    .innerJoin('users as m', 'm.id', 'pairings.mentor_id')
    .select([
      'c.id',
      'c.pairing_id',
      'c.reason',
      'c.status',
      'c.resolution',
      'c.resolution_note',
      'c.detected_at',
      'c.resolved_at',
      'pairings.status as pairing_status',
      'pairings.kind',
      'pairings.student_id',
      sql<string>`coalesce(s.preferred_name, s.given_name) || ' ' || s.family_name`.as('student_name'),
      'pairings.mentor_id',
      sql<string>`coalesce(m.preferred_name, m.given_name) || ' ' || m.family_name`.as('mentor_name'),
    ])
    .where('pairings.program_id', '=', programId)
    .where('c.status', '=', status)
    .orderBy('c.detected_at', status === 'open' ? 'asc' : 'desc')
    .limit(500)
    .execute();
}

export type ConflictResolution =
  { action: 'reassign'; newMentorId: string; note: string } | { action: 'end'; note: string };

/**
 * Resolves a conflict: the pairing ends (its record kept) and, when reassigning, the student gets
 * the new mentor in the same transaction, through the same firewall. Mentor and student are told
 * that the pairing changed, never why: the reason may name a grade or schedule that is not theirs to share.
 */
export async function resolveConflict(
  ctx: AppContext,
  actor: Actor | null,
  conflictId: string,
  resolution: ConflictResolution,
) {
  const conflict = await ctx.db
    .selectFrom('pairing_conflicts as c')
    .innerJoin('pairings', 'pairings.id', 'c.pairing_id')
    .select([
      'c.id',
      'c.status',
      'c.pairing_id',
      'pairings.program_id',
      'pairings.student_id',
      'pairings.mentor_id',
      'pairings.kind',
      'pairings.status as pairing_status',
    ])
    .where('c.id', '=', conflictId)
    .executeTakeFirst();
  if (!conflict) throw new AppError('not_found', 'Conflict was not found');
  await authorize(ctx, actor, 'program.manage', { programId: conflict.program_id });
  if (conflict.status !== 'open') throw new AppError('conflict', 'This conflict has already been resolved');
  const now = ctx.clock.now();
  const userId = actor!.kind === 'user' ? actor!.userId : null;

  const newPairingId = await ctx.db.transaction().execute(async (trx) => {
    if (conflict.pairing_status === 'active') {
      await repo.endPairing(trx, conflict.pairing_id, {
        reason: 'Ended by the program to keep mentoring separate from assessment',
        endedBy: userId,
        now,
      });
    }
    let created: string | null = null;
    if (resolution.action === 'reassign') {
      if (resolution.newMentorId === conflict.mentor_id) {
        throw new AppError('conflict', 'Choose a different mentor: this one assesses the student', {
          field: 'newMentorId',
        });
      }
      created = await insertCheckedPairing(
        trx,
        {
          programId: conflict.program_id,
          studentId: conflict.student_id,
          mentorId: resolution.newMentorId,
          kind: conflict.kind,
          startsOn: now.toISOString().slice(0, 10),
        },
        { createdBy: userId, source: 'manual', now },
      );
    }
    // Every open conflict of the pairing is settled by the same decision.
    await trx
      .updateTable('pairing_conflicts')
      .set({
        status: 'resolved',
        resolution: resolution.action === 'reassign' ? 'reassigned' : 'ended',
        resolution_note: resolution.note,
        resolved_at: now,
        resolved_by: userId,
      })
      .where('pairing_id', '=', conflict.pairing_id)
      .where('status', '=', 'open')
      .execute();
    return created;
  });

  await notifyPairingChange(
    ctx,
    conflict.student_id,
    conflict.mentor_id,
    resolution.action === 'reassign' ? resolution.newMentorId : null,
  );
  return { conflictId, endedPairingId: conflict.pairing_id, newPairingId };
}

async function notifyPairingChange(
  ctx: AppContext,
  studentId: string,
  previousMentorId: string,
  newMentorId: string | null,
) {
  const people = await ctx.db
    .selectFrom('users')
    .select(['id', 'email', 'given_name', 'preferred_name', 'family_name'])
    .where('id', 'in', [studentId, previousMentorId, ...(newMentorId ? [newMentorId] : [])])
    .execute();
  const find = (id: string) => people.find((p) => p.id === id);
  const name = (p: { given_name: string; preferred_name: string | null; family_name: string }) =>
    `${p.preferred_name ?? p.given_name} ${p.family_name}`;
  const student = find(studentId);
  const previous = find(previousMentorId);
  const next = newMentorId ? find(newMentorId) : undefined;
  const link = `${ctx.config.PUBLIC_URL}/`;
  const messages = [];
  if (student) {
    const text = next
      ? `Hello ${student.preferred_name ?? student.given_name},\n\nThe mentorship program has changed your mentor. Your new mentor is ${name(next)}. Your development plan and your own notes stay with you.\n\nSee your mentor in medmentor: ${link}\n`
      : `Hello ${student.preferred_name ?? student.given_name},\n\nThe mentorship program has ended your current mentor pairing. The program director will arrange a new mentor for you. Your development plan and your own notes stay with you.\n\n${link}\n`;
    messages.push({
      to: student.email,
      subject: 'Your mentor has changed',
      text,
      html: `<p>${escapeHtml(text).replaceAll('\n\n', '</p><p>').replaceAll('\n', '<br>')}</p>`,
    });
  }
  if (previous && student) {
    const text = `Hello ${previous.preferred_name ?? previous.given_name},\n\nThe mentorship program has ended your pairing with ${name(student)}. Thank you for your mentoring.\n\n${link}\n`;
    messages.push({
      to: previous.email,
      subject: 'A mentorship pairing has ended',
      text,
      html: `<p>${escapeHtml(text).replaceAll('\n\n', '</p><p>').replaceAll('\n', '<br>')}</p>`,
    });
  }
  if (next && student) {
    const text = `Hello ${next.preferred_name ?? next.given_name},\n\nYou are now the mentor of ${name(student)}.\n\nSee your mentees in medmentor: ${link}\n`;
    messages.push({
      to: next.email,
      subject: 'You have a new mentee',
      text,
      html: `<p>${escapeHtml(text).replaceAll('\n\n', '</p><p>').replaceAll('\n', '<br>')}</p>`,
    });
  }
  for (const message of messages) await ctx.mailer.send(message);
}

/** A program's own exclusions: pairs it never makes (a named prior relationship, a declared family tie). */
export async function listExclusions(ctx: AppContext, actor: Actor | null, programId: string) {
  await authorize(ctx, actor, 'program.manage', { programId });
  return ctx.db
    .selectFrom('program_exclusions as e')
    .innerJoin('users as s', 's.id', 'e.student_id')
    .innerJoin('users as m', 'm.id', 'e.mentor_id')
    .select([
      'e.id',
      'e.student_id',
      sql<string>`coalesce(s.preferred_name, s.given_name) || ' ' || s.family_name`.as('student_name'),
      'e.mentor_id',
      sql<string>`coalesce(m.preferred_name, m.given_name) || ' ' || m.family_name`.as('mentor_name'),
      'e.reason',
      'e.created_at',
    ])
    .where('e.program_id', '=', programId)
    .orderBy('e.created_at', 'desc')
    .execute();
}

export async function addExclusion(
  ctx: AppContext,
  actor: Actor | null,
  programId: string,
  input: { studentId: string; mentorId: string; reason: string },
) {
  await authorize(ctx, actor, 'program.manage', { programId });
  const [student, mentor] = await Promise.all([
    repo.findStudentInProgram(ctx.db, programId, input.studentId),
    ctx.db
      .selectFrom('users')
      .select('id')
      .where('id', '=', input.mentorId)
      .where('institution_id', '=', actor!.institutionId)
      .executeTakeFirst(),
  ]);
  if (!student)
    throw new AppError('validation_failed', 'The student is not in a cohort this program serves', {
      field: 'studentId',
    });
  if (!mentor) throw new AppError('validation_failed', 'No such faculty member', { field: 'mentorId' });
  const active = await ctx.db
    .selectFrom('pairings')
    .select('id')
    .where('program_id', '=', programId)
    .where('student_id', '=', input.studentId)
    .where('mentor_id', '=', input.mentorId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  if (active)
    throw new AppError('conflict', 'This pair is currently paired; end or reassign the pairing first', {
      field: 'mentorId',
    });
  return ctx.db
    .insertInto('program_exclusions')
    .values({
      program_id: programId,
      student_id: input.studentId,
      mentor_id: input.mentorId,
      reason: input.reason,
      created_by: actor!.kind === 'user' ? actor!.userId : null,
      created_at: ctx.clock.now(),
    })
    .onConflict((oc) => oc.columns(['program_id', 'student_id', 'mentor_id']).doUpdateSet({ reason: input.reason }))
    .returning(['id'])
    .executeTakeFirstOrThrow();
}

export async function removeExclusion(ctx: AppContext, actor: Actor | null, programId: string, exclusionId: string) {
  await authorize(ctx, actor, 'program.manage', { programId });
  const result = await ctx.db
    .deleteFrom('program_exclusions')
    .where('id', '=', exclusionId)
    .where('program_id', '=', programId)
    .executeTakeFirst();
  if (Number(result.numDeletedRows) !== 1) throw new AppError('not_found', 'Exclusion was not found');
}
