import { sql } from 'kysely';
import type { Candidate } from '../../../../common/matching.ts';
import type { Db } from '../firewall/firewall.repository.ts';
import { scoreCompatibility, type StudentProfile } from './compatibility.ts';
import { findUnreadyMentors } from '../readiness/readiness.service.ts';
import { findForbiddenPairs, pairKey } from './forbidden-pairs.ts';
import * as repo from './matching.repository.ts';
import { compatibilityOptions, toMentorProfile } from './round-context.ts';

export interface RematchRanking {
  /** Allowed mentors, best score first, with the places they have left. */
  candidates: Candidate[];
  /** Mentors of the program the firewall, a program rule or readiness refuses for this student, with why. */
  refused: { id: string; name: string; reasons: string[] }[];
}

/**
 * The mentors one student could be re-matched with, as a round of one would see them: the
 * program's active mentors less `excludedMentorIds` (a change of mentor leaves out the previous
 * one), forbidden pairs taken out by the same bulk firewall a round uses, mentors not ready for
 * the program (training, agreement) refused with the reason, each allowed mentor scored with the
 * program's weights and the student's profile and ranked preferences. Places left = capacity −
 * active mentees, not counting this student's own pairings in the program.
 * Everyone else's pairing is untouched: this only reads.
 */
export async function rankMentorsForStudent(
  db: Db,
  programId: string,
  studentId: string,
  excludedMentorIds: readonly string[],
  at: Date,
): Promise<RematchRanking> {
  const [mentorRows, options, profile, preferences] = await Promise.all([
    repo.programMentors(db, programId, excludedMentorIds),
    compatibilityOptions(db, programId),
    repo.findStudentProfile(db, studentId),
    repo.listPreferences(db, [studentId]),
  ]);
  if (mentorRows.length === 0) return { candidates: [], refused: [] };
  const student: StudentProfile = {
    id: studentId,
    interests: profile?.interests ?? [],
    topicsWanted: profile?.topics_wanted ?? [],
    languages: profile?.languages ?? [],
    campus: profile?.interests == null ? (profile?.roster_campus ?? null) : profile.campus,
    preferences: preferences.map((p) => p.mentor_id),
  };
  const mentorIds = mentorRows.map((m) => m.id);
  const [forbidden, unready, loads] = await Promise.all([
    findForbiddenPairs(db, programId, [studentId], mentorIds),
    findUnreadyMentors(db, programId, mentorIds, at),
    db
      .selectFrom('pairings as p')
      .select(['p.mentor_id', sql<number>`count(*)::int`.as('n')])
      .where('p.status', '=', 'active')
      .where('p.mentor_id', 'in', mentorIds)
      .where((eb) => eb.not(eb.and([eb('p.student_id', '=', studentId), eb('p.program_id', '=', programId)])))
      .groupBy('p.mentor_id')
      .execute(),
  ]);
  const active = new Map(loads.map((l) => [l.mentor_id, Number(l.n)]));
  const candidates: Candidate[] = [];
  const refused: RematchRanking['refused'] = [];
  for (const row of mentorRows) {
    const notReady = unready.get(row.id);
    const reasons = [...(forbidden.get(pairKey(studentId, row.id)) ?? []), ...(notReady ? [notReady] : [])];
    if (reasons.length > 0) {
      refused.push({ id: row.id, name: row.name, reasons });
      continue;
    }
    const { score, reasons: why } = scoreCompatibility(student, toMentorProfile(row), options);
    candidates.push({
      id: row.id,
      name: row.name,
      score,
      reasons: [...why],
      remaining: Math.max(0, (row.capacity ?? 0) - (active.get(row.id) ?? 0)),
    });
  }
  candidates.sort((a, b) => b.score - a.score || a.name.localeCompare(b.name, 'en') || (a.id < b.id ? -1 : 1));
  return { candidates, refused };
}
