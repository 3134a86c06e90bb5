/**
 * Compliance with the mentoring requirement for a program: per student, per cohort and phase, over
 * the last twelve months, and leaves of absence. Reads dated facts through compliance.repository
 * and evaluates them with the pure core (compliance.ts) on the injected clock's day.
 */
import type { AppContext } from '../../context.ts';
import { AppError } from '../../errors.ts';
import type { Actor } from '../../policy/actor.ts';
import { authorize } from '../../policy/policy.ts';
import type {
  ComplianceCounts,
  ComplianceGroup,
  ReasonKind,
  StudentCompliance,
} from '../../../../common/compliance.ts';
import type { CadenceRule } from '../meetings/cadence.ts';
import { localDate } from '../meetings/cadence.service.ts';
import {
  evaluateCompliance,
  isActiveOn,
  monthEnds,
  percent,
  PLAN_REVIEW_DUE_DAYS,
  termOf,
  type ComplianceResult,
  type StudentHistory,
} from './compliance.ts';
import * as repo from './compliance.repository.ts';

const displayName = (u: { given_name: string; family_name: string; preferred_name: string | null }) =>
  `${u.preferred_name ?? u.given_name} ${u.family_name}`;

export interface ProgramStudent {
  id: string;
  name: string;
  cohortId: string;
  phaseId: string | null;
  rule: CadenceRule | null;
  history: StudentHistory;
  pairings: { id: string; mentorName: string; startsOn: string; endsOn: string | null }[];
}

/** Everything compliance needs of a program, read once: students with their dated history. */
export async function loadProgramFacts(ctx: Pick<AppContext, 'db' | 'clock'>, programId: string) {
  const program = await repo.findProgram(ctx.db, programId);
  if (!program) throw new AppError('not_found', 'Program was not found');
  const [cohorts, phases, ruleRows, studentRows, pairingRows, meetingRows, reviews, leaves] = await Promise.all([
    repo.listProgramCohorts(ctx.db, programId),
    repo.listPhases(ctx.db, program.institution_id),
    repo.listCadenceRuleRows(ctx.db, programId),
    repo.listProgramStudents(ctx.db, programId),
    repo.listProgramPairings(ctx.db, programId),
    repo.listProgramMeetings(ctx.db, programId),
    repo.listPlanReviews(ctx.db, programId),
    repo.listProgramLeaves(ctx.db, programId),
  ]);
  const zone = program.time_zone;
  const today = localDate(ctx.clock.now(), zone);
  const toRule = (r: (typeof ruleRows)[number]): CadenceRule => ({
    intervalCount: r.interval_count,
    intervalUnit: r.interval_unit,
    minDurationMinutes: r.min_duration_minutes,
    graceDays: r.grace_days,
  });
  const defaultRule = ruleRows.find((r) => r.phase_id === null);
  const ruleFor = (phaseId: string | null) => {
    const row = ruleRows.find((r) => r.phase_id !== null && r.phase_id === phaseId) ?? defaultRule;
    return row ? toRule(row) : null;
  };
  const meetingsByPairing = new Map<
    string,
    { on: string; status: (typeof meetingRows)[number]['status']; minutes: number | null }[]
  >();
  for (const m of meetingRows) {
    const list = meetingsByPairing.get(m.pairing_id) ?? [];
    list.push({ on: localDate(m.starts_at, zone), status: m.status, minutes: m.actual_minutes });
    meetingsByPairing.set(m.pairing_id, list);
  }
  const group = <T extends { student_id: string }>(rows: T[]) => {
    const map = new Map<string, T[]>();
    for (const r of rows) map.set(r.student_id, [...(map.get(r.student_id) ?? []), r]);
    return map;
  };
  const pairingsByStudent = group(pairingRows);
  const reviewsByStudent = group(reviews);
  const leavesByStudent = group(leaves);

  const students: ProgramStudent[] = studentRows.map((s) => {
    const pairings = (pairingsByStudent.get(s.id) ?? []).map((p) => ({
      id: p.id,
      mentorName: displayName(p),
      startsOn: p.starts_on,
      // An ended pairing without an end date ended when it was marked so.
      endsOn: p.ends_on ?? (p.status === 'ended' && p.ended_at ? localDate(p.ended_at, zone) : null),
      meetings: meetingsByPairing.get(p.id) ?? [],
    }));
    const entered = localDate(s.created_at, zone);
    const firstPairing = pairings[0]?.startsOn;
    return {
      id: s.id,
      name: displayName(s),
      cohortId: s.cohort_id,
      phaseId: s.phase_id,
      rule: ruleFor(s.phase_id),
      pairings,
      history: {
        countsFrom: firstPairing && firstPairing < entered ? firstPairing : entered,
        pairings,
        planReviewedOn: (reviewsByStudent.get(s.id) ?? []).map((r) => localDate(r.at, zone)),
        leaves: (leavesByStudent.get(s.id) ?? []).map((l) => ({ startsOn: l.starts_on, endsOn: l.ends_on })),
      },
    };
  });
  return { program, cohorts, phases, students, today, ruleFor };
}

export type ProgramFacts = Awaited<ReturnType<typeof loadProgramFacts>>;

/** Counts a group of evaluated students; percentages are of those the requirement applies to. */
export function countResults(results: readonly ComplianceResult[]): ComplianceCounts {
  const counted = results.filter((r) => r.status !== 'not_enrolled');
  const onLeave = counted.filter((r) => r.status === 'on_leave').length;
  const eligible = counted.filter((r) => r.status === 'compliant' || r.status === 'behind');
  const compliant = eligible.filter((r) => r.status === 'compliant').length;
  const withMentor = eligible.filter((r) => r.hasActiveMentor).length;
  const onCadence = eligible.filter((r) => r.onCadence).length;
  const planCurrent = eligible.filter((r) => r.planCurrent).length;
  return {
    students: counted.length,
    onLeave,
    compliant,
    behind: eligible.length - compliant,
    withMentor,
    onCadence,
    planCurrent,
    percentCompliant: percent(compliant, eligible.length),
    percentWithMentor: percent(withMentor, eligible.length),
    percentOnCadence: percent(onCadence, eligible.length),
    percentPlanCurrent: percent(planCurrent, eligible.length),
  };
}

function evaluateAll(facts: ProgramFacts, day: string) {
  return facts.students.map((s) => ({
    student: s,
    result: evaluateCompliance({ day, rule: s.rule, history: s.history }),
  }));
}

/** The program's standing today: totals and the breakdown by cohort and by phase. */
export function summarize(facts: ProgramFacts) {
  const evaluated = evaluateAll(facts, facts.today);
  const groupBy = (key: (s: ProgramStudent) => string | null, groups: { id: string | null; name: string }[]) =>
    groups
      .map((g) => ({ ...g, ...countResults(evaluated.filter((e) => key(e.student) === g.id).map((e) => e.result)) }))
      .filter((g) => g.id !== null || g.students > 0);
  const cohorts: ComplianceGroup[] = groupBy(
    (s) => s.cohortId,
    facts.cohorts.map((c) => ({ id: c.id, name: c.name })),
  );
  const phases: ComplianceGroup[] = groupBy(
    (s) => s.phaseId,
    [...facts.phases.map((p) => ({ id: p.id as string | null, name: p.name })), { id: null, name: 'No phase set' }],
  );
  return {
    programId: facts.program.id,
    programName: facts.program.name,
    asOf: facts.today,
    term: termOf(facts.today),
    planReviewDueDays: PLAN_REVIEW_DUE_DAYS,
    totals: countResults(evaluated.map((e) => e.result)),
    cohorts,
    phases,
  };
}

/** The program's compliance today, for its director, deans and administrators (aggregates only). */
export async function getComplianceSummary(ctx: AppContext, actor: Actor | null, programId: string) {
  await authorize(ctx, actor, 'program.read_compliance', { programId });
  return summarize(await loadProgramFacts(ctx, programId));
}

export interface StudentFilter {
  status?: 'compliant' | 'behind' | 'on_leave' | undefined;
  reason?: ReasonKind | undefined;
  cohortId?: string | undefined;
  phaseId?: string | undefined;
}

/** Each student's standing with reasons, filtered; names and mentors' names, never what was said. */
export function listStudents(facts: ProgramFacts, filter: StudentFilter): StudentCompliance[] {
  const cohortName = new Map(facts.cohorts.map((c) => [c.id, c.name]));
  const phaseName = new Map(facts.phases.map((p) => [p.id, p.name]));
  return evaluateAll(facts, facts.today)
    .filter(({ result }) => result.status !== 'not_enrolled')
    .filter(({ student, result }) => {
      if (filter.status && result.status !== filter.status) return false;
      if (filter.reason && !result.reasons.some((r) => r.kind === filter.reason)) return false;
      if (filter.cohortId && student.cohortId !== filter.cohortId) return false;
      if (filter.phaseId && student.phaseId !== filter.phaseId) return false;
      return true;
    })
    .map(({ student, result }) => ({
      studentId: student.id,
      name: student.name,
      cohortId: student.cohortId,
      cohortName: cohortName.get(student.cohortId) ?? '',
      phaseId: student.phaseId,
      phaseName: student.phaseId ? (phaseName.get(student.phaseId) ?? null) : null,
      status: result.status as StudentCompliance['status'],
      hasActiveMentor: result.hasActiveMentor,
      mentors: student.pairings
        .filter((p) => isActiveOn(p, facts.today))
        .map((p) => ({ pairingId: p.id, name: p.mentorName, startsOn: p.startsOn })),
      onCadence: result.onCadence,
      planCurrent: result.planCurrent,
      lastMeetingOn: result.lastMeetingOn,
      nextDueOn: result.nextDueOn,
      onLeaveUntil: result.onLeaveUntil,
      reasons: result.reasons,
    }));
}

/** The students of the program with their standing; for the program's director only. */
export async function getStudentCompliance(
  ctx: AppContext,
  actor: Actor | null,
  programId: string,
  filter: StudentFilter,
) {
  await authorize(ctx, actor, 'program.read_compliance_students', { programId });
  const facts = await loadProgramFacts(ctx, programId);
  for (const [field, id, known] of [
    ['cohortId', filter.cohortId, facts.cohorts.map((c) => c.id)],
    ['phaseId', filter.phaseId, facts.phases.map((p) => p.id)],
  ] as const) {
    if (id && !known.includes(id))
      throw new AppError('validation_failed', `No such ${field === 'cohortId' ? 'cohort' : 'phase'} in this program`, {
        field,
      });
  }
  return { asOf: facts.today, students: listStudents(facts, filter) };
}

/**
 * The share of students meeting the requirement at the end of each of the last twelve months,
 * evaluated from dated history (pairings, meetings, plan reviews, leaves) rather than stored
 * snapshots, so a correction to history corrects the trend. A student's current phase stands in
 * for their phase in past months: the roster keeps no phase history.
 */
export function trendsOf(facts: ProgramFacts, months = 12) {
  return monthEnds(facts.today, months).map((day) => {
    const counts = countResults(evaluateAll(facts, day).map((e) => e.result));
    return {
      month: day.slice(0, 7),
      asOf: day,
      students: counts.students,
      compliant: counts.compliant,
      onLeave: counts.onLeave,
      percentCompliant: counts.percentCompliant,
      percentWithMentor: counts.percentWithMentor,
      percentOnCadence: counts.percentOnCadence,
    };
  });
}

/** Compliance over the last twelve months, month by month. */
export async function getComplianceTrends(ctx: AppContext, actor: Actor | null, programId: string) {
  await authorize(ctx, actor, 'program.read_compliance', { programId });
  const facts = await loadProgramFacts(ctx, programId);
  return { asOf: facts.today, points: trendsOf(facts) };
}
