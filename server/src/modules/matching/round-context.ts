import type { Db } from '../firewall/firewall.repository.ts';
import { findUnreadyMentors } from '../readiness/readiness.service.ts';
import {
  DEFAULT_COMPATIBILITY_WEIGHTS,
  scoreCompatibility,
  type Compatibility,
  type CompatibilityOptions,
  type MentorProfile,
  type StudentProfile,
} from './compatibility.ts';
import { findForbiddenPairs, pairKey, type ForbiddenPairs } from './forbidden-pairs.ts';
import * as repo from './matching.repository.ts';

/**
 * Everything a round's decisions read, loaded once: its students' and mentors' profiles, the
 * program's weights, the forbidden pairs (in bulk, from the firewall's rules) and each mentor's
 * places. A mentor's places = profile capacity − active mentees they keep outside the round, never
 * below 0; a mentor without a matching profile has capacity 0 and is never proposed.
 */
export interface RoundContext {
  students: (StudentProfile & { mentorId: string | null; pinned: boolean })[];
  /** The program's active mentors less the round's excluded ones: who the algorithm may propose. */
  pool: (MentorProfile & { name: string })[];
  poolIds: Set<string>;
  excluded: Set<string>;
  options: CompatibilityOptions;
  forbidden: ForbiddenPairs;
  loads: Map<string, { name: string; capacity: number; outside: number }>;
  places(mentorId: string): number;
  score(studentId: string, mentorId: string): Compatibility;
}

const labels = (list: string[] | null) => list ?? [];

export async function compatibilityOptions(db: Db, programId: string): Promise<CompatibilityOptions> {
  const weights = await repo.findWeights(db, programId);
  if (!weights) return { weights: DEFAULT_COMPATIBILITY_WEIGHTS, commonLanguages: [] };
  return {
    weights: {
      specialty: weights.specialty,
      topics: weights.topics,
      language: weights.language,
      campus: weights.campus,
      preference: weights.preference,
    },
    commonLanguages: weights.common_languages,
  };
}

export function toMentorProfile(row: repo.ProgramMentorRow): MentorProfile & { name: string } {
  return {
    id: row.id,
    name: row.name,
    specialties: labels(row.specialties),
    topics: labels(row.topics),
    languages: labels(row.languages),
    campus: row.specialties === null ? row.roster_campus : row.campus,
  };
}

/**
 * `at` is the instant readiness is judged at (the caller's clock): a mentor not ready for the
 * program (training, agreement) is forbidden for every student of the round, with the reason.
 */
export async function loadRoundContext(
  db: Db,
  round: { id: string; program_id: string },
  at: Date,
): Promise<RoundContext> {
  const excludedIds = await repo.excludedMentorIds(db, round.id);
  const [studentRows, mentorRows, options] = await Promise.all([
    repo.roundStudents(db, round.id),
    repo.programMentors(db, round.program_id, excludedIds),
    compatibilityOptions(db, round.program_id),
  ]);
  const preferences = await repo.listPreferences(
    db,
    studentRows.map((s) => s.id),
  );
  const ranked = new Map<string, string[]>();
  for (const p of preferences) {
    const list = ranked.get(p.student_id) ?? [];
    list.push(p.mentor_id);
    ranked.set(p.student_id, list);
  }
  const students = studentRows.map((s) => ({
    id: s.id,
    interests: labels(s.interests),
    topicsWanted: labels(s.topics_wanted),
    languages: labels(s.languages),
    campus: s.interests === null ? s.roster_campus : s.campus,
    preferences: ranked.get(s.id) ?? [],
    mentorId: s.mentor_id,
    pinned: s.pinned,
  }));
  const pool = mentorRows.map(toMentorProfile);
  const poolIds = new Set(pool.map((m) => m.id));
  // Mentors assigned by an earlier run or by hand who have since left the pool still count.
  const assignedElsewhere = students
    .map((s) => s.mentorId)
    .filter((id): id is string => id !== null && !poolIds.has(id));
  const mentorIds = [...poolIds, ...new Set(assignedElsewhere)];
  const [forbidden, loadRows, unready] = await Promise.all([
    findForbiddenPairs(
      db,
      round.program_id,
      students.map((s) => s.id),
      mentorIds,
    ),
    repo.mentorLoads(db, round, mentorIds),
    findUnreadyMentors(db, round.program_id, mentorIds, at),
  ]);
  for (const [mentorId, reason] of unready) {
    for (const s of students) {
      const key = pairKey(s.id, mentorId);
      forbidden.set(key, [...(forbidden.get(key) ?? []), reason]);
    }
  }
  const loads = new Map(loadRows.map((r) => [r.id, { name: r.name, capacity: r.capacity, outside: r.outside }]));
  const studentById = new Map(students.map((s) => [s.id, s]));
  const mentorById = new Map(pool.map((m) => [m.id, m]));
  return {
    students,
    pool,
    poolIds,
    excluded: new Set(excludedIds),
    options,
    forbidden,
    loads,
    places(mentorId) {
      const load = loads.get(mentorId);
      return load ? Math.max(0, load.capacity - load.outside) : 0;
    },
    score(studentId, mentorId) {
      const student = studentById.get(studentId);
      const mentor = mentorById.get(mentorId);
      if (!student || !mentor) return { score: 0, reasons: [] };
      return scoreCompatibility(student, mentor, options);
    },
  };
}

export const isForbidden = (context: RoundContext, studentId: string, mentorId: string) =>
  context.forbidden.has(pairKey(studentId, mentorId));
