import type { Candidate, MatchingMode, MatchingRound, NewMatchingRound } from '../../../../common/matching.ts';
import type { AppContext } from '../../context.ts';
import type { StoredRoundSummary } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import type { Actor } from '../../policy/actor.ts';
import { authorize } from '../../policy/policy.ts';
import type { Db } from '../firewall/firewall.repository.ts';
import { activePairingsOfStudent, endPairing } from '../firewall/firewall.repository.ts';
import { insertCheckedPairing } from '../firewall/pairings.service.ts';
import { notify } from '../notifications/notifications.service.ts';
import { createMatchingInstance } from './instance.ts';
import { mapRound } from './matching.mappers.ts';
import * as repo from './matching.repository.ts';
import type { MatchingOptions, MatchingStudent, MatchingMentor, AllowedPair } from './matching.types.ts';
import { isForbidden, loadRoundContext, type RoundContext } from './round-context.ts';
import { LEFT_UNPLACED_REASON, NOT_RUN_REASON, summarizeRound, UNPLACED_REASONS } from './round-summary.ts';
import { solveMatching } from './solve-matching.ts';

/**
 * Matching rounds: a director opens one for a cohort, runs it, reviews and edits the proposal by
 * hand (the firewall and capacities still apply), and publishes it as pairings in one
 * transaction. Every change carries the version the director last read; a stale one is a 412.
 */

const STALE = () =>
  new AppError(
    'precondition_failed',
    'Someone else changed this round since you opened it; reload to see their changes, then make yours again',
    { field: 'version' },
  );

const userIdOf = (actor: Actor | null) => (actor?.kind === 'user' ? actor.userId : null);

async function roundOrNotFound(db: Db, roundId: string) {
  const round = await repo.findRound(db, roundId);
  if (!round) throw new AppError('not_found', 'Matching round was not found');
  return round;
}

/** The round as the API shows it: assignments with names, mentors with their places. */
export async function loadRoundView(db: Db, roundId: string): Promise<MatchingRound> {
  const round = await roundOrNotFound(db, roundId);
  const [assignments, excluded] = await Promise.all([
    repo.listAssignments(db, roundId),
    repo.excludedMentorIds(db, roundId),
  ]);
  const pool = await repo.programMentors(db, round.program_id, excluded);
  const mentorIds = [
    ...new Set([...pool.map((m) => m.id), ...assignments.map((a) => a.mentor_id).filter((id) => id !== null)]),
  ];
  const loads = await repo.mentorLoads(db, round, mentorIds);
  return mapRound(round, assignments, loads);
}

/** Takes the round for a change in this transaction, or says why not: gone, closed, or stale. */
async function claim(db: Db, roundId: string, version: number | null, now: Date) {
  const claimed = await repo.claimRound(db, roundId, version, now);
  if (claimed) return claimed;
  const round = await roundOrNotFound(db, roundId);
  if (round.status === 'published' || round.status === 'cancelled') {
    throw new AppError('conflict', `This round is ${round.status}; it can no longer change`, { field: 'version' });
  }
  throw STALE();
}

async function authorizedRound(ctx: AppContext, actor: Actor | null, roundId: string) {
  const round = await roundOrNotFound(ctx.db, roundId);
  await authorize(ctx, actor, 'matching.manage', { programId: round.program_id });
  return round;
}

/** A program's matching rounds, newest first. */
export async function listRounds(ctx: AppContext, actor: Actor | null, programId: string) {
  await authorize(ctx, actor, 'matching.manage', { programId });
  return repo.listRounds(ctx.db, programId);
}

/** One round with its proposal. */
export async function getRound(ctx: AppContext, actor: Actor | null, roundId: string): Promise<MatchingRound> {
  await authorizedRound(ctx, actor, roundId);
  return loadRoundView(ctx.db, roundId);
}

/**
 * Opens a round for a cohort the program serves. Its students are fixed now: those named, or every
 * active student of the cohort without an active pairing in the program. Nobody else's pairing
 * can change when it is published.
 */
export async function createRound(
  ctx: AppContext,
  actor: Actor | null,
  programId: string,
  input: NewMatchingRound,
): Promise<MatchingRound> {
  await authorize(ctx, actor, 'matching.manage', { programId });
  if (!(await repo.cohortServedBy(ctx.db, programId, input.cohortId))) {
    throw new AppError('validation_failed', 'This program does not serve that cohort', { field: 'cohortId' });
  }
  const excluded = [...new Set(input.excludedMentorIds ?? [])];
  if (excluded.length > 0) {
    const mentors = new Set((await repo.programMentors(ctx.db, programId)).map((m) => m.id));
    const stranger = excluded.find((id) => !mentors.has(id));
    if (stranger) {
      throw new AppError('validation_failed', `${stranger} is not an active mentor of this program`, {
        field: 'excludedMentorIds',
      });
    }
  }
  let studentIds: string[];
  if (input.studentIds === undefined) {
    studentIds = await repo.unpairedStudentsOfCohort(ctx.db, programId, input.cohortId);
    if (studentIds.length === 0) {
      throw new AppError(
        'validation_failed',
        'Every student of this cohort already has a mentor in this program; name the students to re-match',
        { field: 'studentIds' },
      );
    }
  } else {
    studentIds = [...new Set(input.studentIds)];
    if (studentIds.length === 0) {
      throw new AppError('validation_failed', 'Name at least one student', { field: 'studentIds' });
    }
    const inCohort = new Set(await repo.studentsOfCohort(ctx.db, input.cohortId, studentIds));
    const outsider = studentIds.find((id) => !inCohort.has(id));
    if (outsider) {
      throw new AppError('validation_failed', `${outsider} is not a student of this cohort`, { field: 'studentIds' });
    }
  }
  const now = ctx.clock.now();
  const id = await ctx.db.transaction().execute(async (trx) => {
    const { id } = await repo.insertRound(trx, {
      program_id: programId,
      cohort_id: input.cohortId,
      name: input.name,
      summary: JSON.stringify(
        summarizeRound(
          studentIds.map(() => null),
          null,
        ),
      ),
      created_by: userIdOf(actor),
      created_at: now,
      updated_at: now,
    });
    await repo.insertExcludedMentors(trx, id, excluded);
    await repo.replaceAssignments(
      trx,
      id,
      studentIds.map((studentId) => ({
        student_id: studentId,
        mentor_id: null,
        score: null,
        source: null,
        unplaced_reason: NOT_RUN_REASON,
      })),
      now,
    );
    return id;
  });
  return loadRoundView(ctx.db, id);
}

const SOLVER_OPTIONS: Record<MatchingMode, MatchingOptions> = {
  optimal: { mode: 'optimal', objective: 'total' },
  balanced: { mode: 'optimal', objective: 'total', balancedLoad: true },
  maximin: { mode: 'optimal', objective: 'raise-worst-first' },
  stable: { mode: 'stable' },
};

const byScoreThenId = (score: (id: string) => number) => (a: string, b: string) =>
  score(b) - score(a) || (a < b ? -1 : a > b ? 1 : 0);

/**
 * Runs the round: pinned assignments stay (their students leave the instance and their mentors'
 * places shrink), everyone else is placed by `solveMatching` in the chosen mode over the allowed
 * pairs only. A pin the firewall now forbids, or whose mentor left the round, is dropped and the
 * student placed afresh: nothing forbidden is kept silently.
 *
 * Stable mode needs both sides' rankings. Students rank the mentors they listed, in their order,
 * then every other allowed mentor by compatibility; mentors do not rank students in medmentor, so
 * a mentor's ranking is the students by compatibility with them (ties by id, so runs repeat).
 */
export async function runRound(
  ctx: AppContext,
  actor: Actor | null,
  roundId: string,
  input: { mode: MatchingMode; version: number },
): Promise<MatchingRound> {
  await authorizedRound(ctx, actor, roundId);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await claim(trx, roundId, input.version, now);
    const round = await roundOrNotFound(trx, roundId);
    const context = await loadRoundContext(trx, round, now);

    const keepsPin = (s: RoundContext['students'][number]) =>
      s.pinned && s.mentorId !== null && context.poolIds.has(s.mentorId) && !isForbidden(context, s.id, s.mentorId);
    const pinned = context.students.filter(keepsPin);
    const pinnedLoad = new Map<string, number>();
    for (const s of pinned) pinnedLoad.set(s.mentorId!, (pinnedLoad.get(s.mentorId!) ?? 0) + 1);
    const free = context.students.filter((s) => !keepsPin(s));

    const pairs: AllowedPair[] = [];
    const scores = new Map<string, number>();
    for (const student of free) {
      for (const mentor of context.pool) {
        if (isForbidden(context, student.id, mentor.id)) continue;
        const { score } = context.score(student.id, mentor.id);
        pairs.push({ studentId: student.id, mentorId: mentor.id, score });
        scores.set(`${student.id} ${mentor.id}`, score);
      }
    }
    const scoreOf = (studentId: string, mentorId: string) => scores.get(`${studentId} ${mentorId}`) ?? -1;
    const stable = input.mode === 'stable';
    const students: MatchingStudent[] = free.map((s) => {
      if (!stable) return { id: s.id };
      const allowed = context.pool.map((m) => m.id).filter((m) => scores.has(`${s.id} ${m}`));
      const listed = (s.preferences ?? []).filter((m) => scores.has(`${s.id} ${m}`));
      const rest = allowed.filter((m) => !listed.includes(m)).sort(byScoreThenId((m) => scoreOf(s.id, m)));
      return { id: s.id, preferences: [...listed, ...rest] };
    });
    const mentors: MatchingMentor[] = context.pool.map((m) => {
      const capacity = Math.max(0, context.places(m.id) - (pinnedLoad.get(m.id) ?? 0));
      if (!stable) return { id: m.id, capacity };
      const ranking = free
        .map((s) => s.id)
        .filter((s) => scores.has(`${s} ${m.id}`))
        .sort(byScoreThenId((s) => scoreOf(s, m.id)));
      return { id: m.id, capacity, ranking };
    });
    const result = solveMatching(createMatchingInstance({ students, mentors, pairs }), SOLVER_OPTIONS[input.mode]);

    const placedBy = new Map(result.assignments.map((a) => [a.studentId, a]));
    const unplacedBy = new Map(result.unassigned.map((u) => [u.studentId, u.reason]));
    const rows: repo.AssignmentValues[] = context.students.map((s) => {
      if (keepsPin(s)) {
        const { score, reasons } = context.score(s.id, s.mentorId!);
        return {
          student_id: s.id,
          mentor_id: s.mentorId,
          score,
          reasons: [...reasons],
          pinned: true,
          source: 'manual',
          unplaced_reason: null,
        };
      }
      const placed = placedBy.get(s.id);
      if (placed) {
        return {
          student_id: s.id,
          mentor_id: placed.mentorId,
          score: placed.score,
          reasons: [...context.score(s.id, placed.mentorId).reasons],
          pinned: false,
          source: 'algorithm',
          unplaced_reason: null,
        };
      }
      const reason = unplacedBy.get(s.id);
      return {
        student_id: s.id,
        mentor_id: null,
        score: null,
        reasons: [],
        pinned: false,
        source: null,
        unplaced_reason: reason ? UNPLACED_REASONS[reason] : UNPLACED_REASONS['no-allowed-mentor'],
      };
    });
    await repo.replaceAssignments(trx, roundId, rows, now);
    const certified = result.certificate.holds && result.validation.ok;
    const summary = summarizeRound(
      rows.map((r) => r.score ?? null),
      certified,
    );
    await repo.updateRound(trx, roundId, {
      status: 'proposed',
      mode: input.mode,
      ranAt: now,
      summary,
      algorithmSummary: summary,
    });
  });
  return loadRoundView(ctx.db, roundId);
}

async function studentInRound(db: Db, roundId: string, studentId: string) {
  const rows = await repo.listAssignments(db, roundId);
  const row = rows.find((r) => r.student_id === studentId);
  if (!row) throw new AppError('not_found', 'This student is not in this round', { field: 'studentId' });
  return { row, rows };
}

async function refreshSummary(db: Db, roundId: string) {
  const summary: StoredRoundSummary = summarizeRound(await repo.roundScores(db, roundId), null);
  await repo.updateRound(db, roundId, { summary });
}

/**
 * Places a student with a mentor by hand (a swap), optionally pinned so a re-run keeps it. The
 * firewall applies: a mentor who may not mentor the student is refused naming `mentorId` and the
 * reason, and so is a mentor with no place left. The summary is recomputed; the last run's stays
 * beside it so the director sees the effect.
 */
export async function setAssignment(
  ctx: AppContext,
  actor: Actor | null,
  roundId: string,
  studentId: string,
  input: { mentorId: string; pinned: boolean; version: number },
): Promise<MatchingRound> {
  await authorizedRound(ctx, actor, roundId);
  await studentInRound(ctx.db, roundId, studentId);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await claim(trx, roundId, input.version, now);
    const round = await roundOrNotFound(trx, roundId);
    const context = await loadRoundContext(trx, round, now);
    if (context.excluded.has(input.mentorId)) {
      throw new AppError('unprocessable', 'This mentor is left out of this round', { field: 'mentorId' });
    }
    if (!context.poolIds.has(input.mentorId)) {
      throw new AppError('unprocessable', 'This person is not an active mentor of this program', {
        field: 'mentorId',
      });
    }
    const conflicts = context.forbidden.get(`${studentId} ${input.mentorId}`);
    if (conflicts) {
      throw new AppError('unprocessable', `This mentor may not mentor this student: ${conflicts.join('; ')}`, {
        field: 'mentorId',
        details: { conflicts },
      });
    }
    const others = context.students.filter((s) => s.id !== studentId && s.mentorId === input.mentorId).length;
    const places = context.places(input.mentorId);
    if (others + 1 > places) {
      const load = context.loads.get(input.mentorId);
      throw new AppError(
        'unprocessable',
        `${load?.name ?? 'This mentor'} has no place left: capacity ${load?.capacity ?? 0}, ${load?.outside ?? 0} mentee(s) outside this round, ${others} assigned in it`,
        { field: 'mentorId' },
      );
    }
    const { score, reasons } = context.score(studentId, input.mentorId);
    await repo.updateAssignment(
      trx,
      roundId,
      studentId,
      {
        student_id: studentId,
        mentor_id: input.mentorId,
        score,
        reasons: [...reasons],
        pinned: input.pinned,
        source: 'manual',
        unplaced_reason: null,
      },
      now,
    );
    await refreshSummary(trx, roundId);
  });
  return loadRoundView(ctx.db, roundId);
}

/** Leaves a student unplaced by hand (and unpinned); a re-run may place them again. */
export async function clearAssignment(
  ctx: AppContext,
  actor: Actor | null,
  roundId: string,
  studentId: string,
  version: number,
): Promise<MatchingRound> {
  await authorizedRound(ctx, actor, roundId);
  await studentInRound(ctx.db, roundId, studentId);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await claim(trx, roundId, version, now);
    await repo.updateAssignment(
      trx,
      roundId,
      studentId,
      {
        student_id: studentId,
        mentor_id: null,
        score: null,
        reasons: [],
        pinned: false,
        source: 'manual',
        unplaced_reason: LEFT_UNPLACED_REASON,
      },
      now,
    );
    await refreshSummary(trx, roundId);
  });
  return loadRoundView(ctx.db, roundId);
}

/**
 * The mentors a student of the round may be given, best first: only allowed mentors of the pool,
 * each with score, reasons and the places left as the round stands (not counting this student).
 */
export async function listCandidates(
  ctx: AppContext,
  actor: Actor | null,
  roundId: string,
  studentId: string,
): Promise<Candidate[]> {
  const round = await authorizedRound(ctx, actor, roundId);
  await studentInRound(ctx.db, roundId, studentId);
  const context = await loadRoundContext(ctx.db, round, ctx.clock.now());
  const assigned = new Map<string, number>();
  for (const s of context.students) {
    if (s.mentorId !== null && s.id !== studentId) assigned.set(s.mentorId, (assigned.get(s.mentorId) ?? 0) + 1);
  }
  return context.pool
    .filter((m) => !isForbidden(context, studentId, m.id))
    .map((m) => {
      const { score, reasons } = context.score(studentId, m.id);
      return {
        id: m.id,
        name: m.name,
        score,
        reasons: [...reasons],
        remaining: Math.max(0, context.places(m.id) - (assigned.get(m.id) ?? 0)),
      };
    })
    .sort((a, b) => b.score - a.score || a.name.localeCompare(b.name, 'en') || (a.id < b.id ? -1 : 1));
}

/** The school's calendar date now: a pairing starts on the day it is made, where the school is. */
function localDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/**
 * Publishes the round in ONE transaction: the version check, then for each placed student the
 * pairing through the firewall's `insertCheckedPairing` (the database trigger checks again),
 * ending first the student's current pairing in this program when it is with someone else
 * ("re-matched"), the round marked published, and every new mentor, placed student and former
 * mentor told in-app and by email. Any refusal rolls everything back. Publishing a published
 * round (a double submit) changes nothing and returns it; notifications carry dedupe keys too.
 * Students outside the round are never touched.
 */
export async function publishRound(
  ctx: AppContext,
  actor: Actor | null,
  roundId: string,
  version: number,
): Promise<MatchingRound> {
  const round = await authorizedRound(ctx, actor, roundId);
  if (round.status === 'published') return loadRoundView(ctx.db, roundId);
  const now = ctx.clock.now();
  const by = userIdOf(actor);
  const program = await repo.institutionOfProgram(ctx.db, round.program_id);
  const startsOn = localDate(now, program.time_zone);
  await ctx.db.transaction().execute(async (trx) => {
    const claimed = await repo.claimRound(trx, roundId, version, now);
    if (!claimed) {
      const current = await roundOrNotFound(trx, roundId);
      // A second submit that lost the race to the first: the round is published already.
      if (current.status === 'published') return;
      await claim(trx, roundId, version, now);
    }
    const assignments = (await repo.listAssignments(trx, roundId)).filter((a) => a.mentor_id !== null);
    if (assignments.length === 0) {
      throw new AppError('conflict', 'Nothing to publish: no student in this round has a mentor', {
        field: 'version',
      });
    }
    const newMentees = new Map<string, string[]>();
    const formerMentors: { mentorId: string; studentName: string; studentId: string }[] = [];
    const placedStudents: { studentId: string; mentorName: string }[] = [];
    for (const a of assignments) {
      const mentorId = a.mentor_id!;
      const active = await activePairingsOfStudent(trx, round.program_id, a.student_id);
      const blocking = active.filter((p) => p.kind === 'general' || !program.allows_multiple_mentors);
      if (blocking.some((p) => p.kind === 'general' && p.mentor_id === mentorId)) continue;
      for (const p of blocking) {
        await endPairing(trx, p.id, { reason: 're-matched', endedBy: by, now });
        formerMentors.push({ mentorId: p.mentor_id, studentName: a.student_name, studentId: a.student_id });
      }
      await repo.resolveConflictsByRematch(
        trx,
        blocking.map((p) => p.id),
        by,
        now,
      );
      await insertCheckedPairing(
        trx,
        { programId: round.program_id, studentId: a.student_id, mentorId, kind: 'general', startsOn },
        { createdBy: by, source: 'matching', now },
      );
      newMentees.set(mentorId, [...(newMentees.get(mentorId) ?? []), a.student_name]);
      placedStudents.push({ studentId: a.student_id, mentorName: a.mentor_name ?? 'your new mentor' });
    }
    await repo.updateRound(trx, roundId, { status: 'published', publishedAt: now, publishedBy: by });

    const dedupe = `matching-round:${roundId}`;
    for (const { studentId, mentorName } of placedStudents) {
      await notify(trx, ctx, {
        userId: studentId,
        kind: 'mentor_matched',
        title: `Your mentor in the ${program.name} is ${mentorName}`,
        body: 'Your mentor will get in touch; you can also propose your first meeting.',
        link: '/my-mentorship',
        dedupeKey: `${dedupe}:student`,
      });
    }
    for (const [mentorId, names] of newMentees) {
      await notify(trx, ctx, {
        userId: mentorId,
        kind: 'mentor_matched',
        title:
          names.length === 1
            ? `You have a new mentee in the ${program.name}: ${names[0]}`
            : `You have ${names.length} new mentees in the ${program.name}`,
        body: names.length === 1 ? '' : `Your new mentees: ${names.join(', ')}.`,
        link: '/my-mentorship',
        dedupeKey: `${dedupe}:mentor`,
      });
    }
    for (const former of formerMentors) {
      await notify(trx, ctx, {
        userId: former.mentorId,
        kind: 'mentor_matched',
        title: `${former.studentName} has a new mentor in the ${program.name}`,
        body: 'The program re-matched this student; your pairing has ended. Thank you for your mentoring.',
        link: '/my-mentorship',
        dedupeKey: `${dedupe}:former-mentor:${former.studentId}`,
      });
    }
  });
  return loadRoundView(ctx.db, roundId);
}

/** Cancels a round that is not published; its proposal is kept for the record and nothing is created. */
export async function cancelRound(
  ctx: AppContext,
  actor: Actor | null,
  roundId: string,
  version: number,
): Promise<MatchingRound> {
  await authorizedRound(ctx, actor, roundId);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await claim(trx, roundId, version, now);
    await repo.updateRound(trx, roundId, { status: 'cancelled', cancelledAt: now });
  });
  return loadRoundView(ctx.db, roundId);
}
