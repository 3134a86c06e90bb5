import type { MatchingRound, MatchingRoundListItem, RoundSummary } from '../../../../common/matching.ts';
import type { StoredRoundSummary } from '../../db/schema.ts';
import type { AssignmentRow, RoundRow } from './matching.repository.ts';

/** Rows to the API's shapes (common/matching.ts), field by field, so a new column never leaks. */

const mapSummary = (s: StoredRoundSummary): RoundSummary => ({
  students: s.students,
  placed: s.placed,
  totalScore: s.totalScore,
  minScore: s.minScore,
  meanScore: s.meanScore,
  histogram: [...s.histogram],
  certified: s.certified,
});

export function mapRoundListItem(round: RoundRow): MatchingRoundListItem {
  return {
    id: round.id,
    programId: round.program_id,
    cohort: { id: round.cohort_id, name: round.cohort_name },
    name: round.name,
    status: round.status,
    mode: round.mode,
    createdAt: round.created_at.toISOString(),
    publishedAt: round.published_at?.toISOString() ?? null,
    summary: mapSummary(round.summary),
  };
}

export function mapRound(
  round: RoundRow,
  assignments: readonly AssignmentRow[],
  loads: readonly { id: string; name: string; capacity: number; outside: number }[],
): MatchingRound {
  const assigned = new Map<string, number>();
  for (const a of assignments) if (a.mentor_id) assigned.set(a.mentor_id, (assigned.get(a.mentor_id) ?? 0) + 1);
  return {
    ...mapRoundListItem(round),
    version: round.version,
    ranAt: round.ran_at?.toISOString() ?? null,
    algorithmSummary: round.algorithm_summary ? mapSummary(round.algorithm_summary) : null,
    assignments: assignments.map((a) => ({
      student: { id: a.student_id, name: a.student_name },
      mentor: a.mentor_id ? { id: a.mentor_id, name: a.mentor_name ?? '' } : null,
      score: a.score,
      reasons: [...a.reasons],
      pinned: a.pinned,
      source: a.source,
      unplacedReason: a.mentor_id ? null : a.unplaced_reason,
    })),
    mentors: loads.map((l) => ({
      id: l.id,
      name: l.name,
      capacity: l.capacity,
      alreadyMentoring: l.outside,
      assigned: assigned.get(l.id) ?? 0,
    })),
  };
}
