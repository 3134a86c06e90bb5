import type { AppContext } from '../../context.ts';
import type { PairingKind } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import type { Actor } from '../../policy/actor.ts';
import { authorize } from '../../policy/policy.ts';
import { mentorReadinessProblem } from '../readiness/readiness.service.ts';
import * as repo from './firewall.repository.ts';
import { firewallErrorFrom } from './firewall.errors.ts';
import type { Db } from './firewall.repository.ts';

/** The words of a search box, lower-cased, with LIKE's wildcards taken literally. */
export function searchWords(search: string | undefined): string[] {
  return (search ?? '')
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 5)
    .map((w) => w.replace(/[\\%_]/g, (c) => `\\${c}`));
}

export interface PairingRequest {
  programId: string;
  studentId: string;
  mentorId: string;
  kind: PairingKind;
  startsOn: string;
}

export interface PairingConflict {
  kind: 'assessment' | 'exclusion' | 'eligibility' | 'readiness';
  message: string;
  relationshipId?: string;
}

const describeAssessment = (row: repo.AssessingRow) =>
  `${row.kind.replace('_', ' ')}: ${row.context} (${row.starts_on} to ${row.ends_on ?? 'open-ended'})`;

/**
 * Everything that forbids this mentor for this student in this program: an assessment
 * relationship (past, present or scheduled), a program exclusion, or the mentor/student not
 * belonging to the program. Empty when the pair is allowed. Matching and imports call this too.
 */
export async function findPairingConflicts(
  db: Db,
  request: Omit<PairingRequest, 'kind' | 'startsOn'>,
): Promise<PairingConflict[]> {
  const conflicts: PairingConflict[] = [];
  const [student, mentor, assessing, exclusion, departments] = await Promise.all([
    repo.findStudentInProgram(db, request.programId, request.studentId),
    repo.findMentorInProgram(db, request.programId, request.mentorId),
    repo.assessingRelationships(db, request.mentorId, request.studentId),
    repo.findExclusion(db, request.programId, request.studentId, request.mentorId),
    repo.sameDepartmentCourses(db, request.programId, request.mentorId, request.studentId),
  ]);
  if (!student) conflicts.push({ kind: 'eligibility', message: 'The student is not in a cohort this program serves' });
  else if (student.status !== 'active')
    conflicts.push({ kind: 'eligibility', message: 'The student’s account is disabled' });
  if (!mentor) conflicts.push({ kind: 'eligibility', message: 'The mentor is not a mentor in this program' });
  else if (mentor.status !== 'active')
    conflicts.push({ kind: 'eligibility', message: 'The mentor’s account is disabled' });
  if (request.studentId === request.mentorId)
    conflicts.push({ kind: 'eligibility', message: 'A student cannot mentor themself' });
  for (const row of assessing) {
    conflicts.push({
      kind: 'assessment',
      message: `The mentor assesses this student — ${describeAssessment(row)}`,
      relationshipId: row.id,
    });
  }
  if (exclusion) conflicts.push({ kind: 'exclusion', message: `The program excludes this pair — ${exclusion.reason}` });
  for (const course of departments) {
    conflicts.push({
      kind: 'exclusion',
      message: `The program excludes mentors from the department of ${course.code} (${course.department}), which the student takes`,
    });
  }
  return conflicts;
}

/**
 * Creates a pairing inside the caller's transaction after checking the firewall; the database
 * trigger checks again, so a race with a new assessment relationship can't slip through.
 */
export async function insertCheckedPairing(
  db: Db,
  request: PairingRequest,
  meta: { createdBy: string | null; source: 'manual' | 'matching' | 'import'; now: Date },
): Promise<string> {
  const conflicts = await findPairingConflicts(db, request);
  // Readiness is checked at the moment the pairing is made (the trigger checks again, on the same clock).
  const unready = await mentorReadinessProblem(db, request.programId, request.mentorId, meta.now);
  if (unready) conflicts.push({ kind: 'readiness', message: unready });
  if (conflicts.length > 0) {
    // Name the side at fault, so the form can put the message next to it.
    const studentOnly = conflicts.every(
      (c) => c.kind === 'eligibility' && /student/i.test(c.message) && !/mentor/i.test(c.message),
    );
    throw new AppError('conflict', `This pairing is not allowed: ${conflicts.map((c) => c.message).join('; ')}`, {
      field: studentOnly ? 'studentId' : 'mentorId',
      details: { conflicts },
    });
  }
  const program = await repo.findProgram(db, request.programId);
  const active = await repo.activePairingsOfStudent(db, request.programId, request.studentId);
  if (active.some((p) => p.kind === request.kind)) {
    throw new AppError('conflict', 'The student already has an active mentor of this type in this program', {
      field: 'kind',
    });
  }
  if (active.length > 0 && !program?.allows_multiple_mentors) {
    throw new AppError('conflict', 'This program gives each student one mentor; end the current pairing first', {
      field: 'studentId',
    });
  }
  try {
    const { id } = await repo.insertPairing(db, {
      ...request,
      createdBy: meta.createdBy,
      source: meta.source,
      now: meta.now,
    });
    return id;
  } catch (error) {
    throw firewallErrorFrom(error) ?? error;
  }
}

/** A director pairs a student with a mentor by hand; refused with the conflicting relationship named. */
export async function createPairing(
  ctx: AppContext,
  actor: Actor | null,
  request: PairingRequest,
): Promise<repo.PairingRow> {
  await authorize(ctx, actor, 'program.manage', { programId: request.programId });
  const id = await ctx.db.transaction().execute((trx) =>
    insertCheckedPairing(trx, request, {
      createdBy: actor!.kind === 'user' ? actor!.userId : null,
      source: 'manual',
      now: ctx.clock.now(),
    }),
  );
  return getPairingRow(ctx.db, id);
}

export async function getPairingRow(db: Db, pairingId: string): Promise<repo.PairingRow> {
  const row = await repo.pairingsQuery(db).where('pairings.id', '=', pairingId).executeTakeFirst();
  if (!row) throw new AppError('not_found', 'Pairing was not found');
  return row;
}

/** Ends a pairing and keeps its record; from this moment the mentor sees nothing more of the student. */
export async function endPairing(
  ctx: AppContext,
  actor: Actor | null,
  pairingId: string,
  reason: string,
): Promise<repo.PairingRow> {
  const pairing = await ctx.db
    .selectFrom('pairings')
    .select(['program_id'])
    .where('id', '=', pairingId)
    .executeTakeFirst();
  if (!pairing) throw new AppError('not_found', 'Pairing was not found');
  await authorize(ctx, actor, 'program.manage', { programId: pairing.program_id });
  const ended = await repo.endPairing(ctx.db, pairingId, {
    reason,
    endedBy: actor!.kind === 'user' ? actor!.userId : null,
    now: ctx.clock.now(),
  });
  if (!ended) throw new AppError('conflict', 'This pairing has already ended');
  return getPairingRow(ctx.db, pairingId);
}

export interface PairingFilter {
  status?: 'active' | 'ended' | undefined;
  search?: string | undefined;
  limit: number;
  offset: number;
}

/** A program's pairings, current and past, for its director. */
export async function listProgramPairings(
  ctx: AppContext,
  actor: Actor | null,
  programId: string,
  filter: PairingFilter,
) {
  await authorize(ctx, actor, 'program.read', { programId });
  let query = repo.pairingsQuery(ctx.db).where('pairings.program_id', '=', programId);
  if (filter.status) query = query.where('pairings.status', '=', filter.status);
  // Every word must match a name or email of the student or the mentor: "kwame mensah" finds Kwame Mensah.
  for (const word of searchWords(filter.search)) {
    const pattern = `%${word}%`;
    query = query.where((eb) =>
      eb.or([
        eb(eb.fn('lower', ['s.family_name']), 'like', pattern),
        eb(eb.fn('lower', ['s.given_name']), 'like', pattern),
        eb(eb.fn('lower', ['s.preferred_name']), 'like', pattern),
        eb(eb.fn('lower', ['m.family_name']), 'like', pattern),
        eb(eb.fn('lower', ['m.given_name']), 'like', pattern),
        eb('s.email', 'like', pattern),
        eb('m.email', 'like', pattern),
      ]),
    );
  }
  const [rows, total] = await Promise.all([
    query
      .orderBy('pairings.status')
      .orderBy('s.family_name')
      .orderBy('pairings.created_at', 'desc')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    query
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { pairings: rows, total: Number(total.n) };
}

/** The signed-in person's own pairings: as a student (their mentors) and as a mentor (their mentees), with history. */
export async function listMyPairings(ctx: AppContext, actor: Extract<Actor, { kind: 'user' }>) {
  const rows = await repo
    .pairingsQuery(ctx.db)
    .where((eb) => eb.or([eb('pairings.student_id', '=', actor.userId), eb('pairings.mentor_id', '=', actor.userId)]))
    .orderBy('pairings.status')
    .orderBy('pairings.starts_on', 'desc')
    .execute();
  return {
    asStudent: rows.filter((r) => r.student_id === actor.userId),
    asMentor: rows.filter((r) => r.mentor_id === actor.userId),
  };
}
