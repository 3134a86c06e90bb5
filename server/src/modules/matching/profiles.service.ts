import type {
  MatchingWeights,
  MatchingWeightsInput,
  MentorChoice,
  MentorProfileInput,
  MyMatchingProfile,
  StudentProfileInput,
} from '../../../../common/matching.ts';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../errors.ts';
import type { Actor } from '../../policy/actor.ts';
import { authorize } from '../../policy/policy.ts';
import type { Db } from '../firewall/firewall.repository.ts';
import { DEFAULT_COMPATIBILITY_WEIGHTS } from './compatibility.ts';
import { findForbiddenPairs, pairKey } from './forbidden-pairs.ts';
import * as repo from './matching.repository.ts';
import { toMentorProfile } from './round-context.ts';

type UserActor = Extract<Actor, { kind: 'user' }>;

/**
 * Labels as the person wrote them, trimmed, each once: "Pediatrics" and " pediatrics " are the
 * same label to the scorer, so the second is dropped rather than counted twice.
 */
export function distinctLabels(labels: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const label of labels) {
    const clean = label.trim().replace(/\s+/g, ' ');
    const key = clean.toLowerCase();
    if (clean === '' || seen.has(key)) continue;
    seen.add(key);
    out.push(clean);
  }
  return out;
}

const emptyToNull = (value: string | null) => (value === null || value.trim() === '' ? null : value.trim());

/** The signed-in person's matching profiles: `mentor` if they mentor in any program, `student` if they are a student. */
export async function getMyMatchingProfile(ctx: AppContext, actor: UserActor): Promise<MyMatchingProfile> {
  const [isMentor, student] = await Promise.all([
    repo.holdsMentorRole(ctx.db, actor.userId),
    repo.findStudentProfile(ctx.db, actor.userId),
  ]);
  let mentor: MyMatchingProfile['mentor'] = null;
  if (isMentor) {
    const row = await repo.findMentorProfile(ctx.db, actor.userId);
    if (row) {
      mentor = {
        specialties: row.specialties ?? [],
        topics: row.topics ?? [],
        languages: row.languages ?? [],
        campus: row.specialties === null ? row.roster_campus : row.campus,
        capacity: row.capacity ?? 0,
        updatedAt: row.updated_at?.toISOString() ?? null,
        activeMentees: row.active_mentees,
        weeklyAvailabilityMinutes: row.weekly_minutes,
      };
    }
  }
  let studentProfile: MyMatchingProfile['student'] = null;
  if (student) {
    const preferences = await repo.listPreferences(ctx.db, [actor.userId]);
    studentProfile = {
      interests: student.interests ?? [],
      topicsWanted: student.topics_wanted ?? [],
      languages: student.languages ?? [],
      campus: student.interests === null ? student.roster_campus : student.campus,
      preferences: preferences.map((p) => p.mentor_id),
      updatedAt: student.updated_at?.toISOString() ?? null,
      preferredMentors: preferences.map((p) => ({ id: p.mentor_id, name: p.mentor_name })),
    };
  }
  return { mentor, student: studentProfile };
}

/** A mentor sets what they offer and how many mentees they take in total. */
export async function saveMentorProfile(
  ctx: AppContext,
  actor: UserActor,
  input: MentorProfileInput,
): Promise<MyMatchingProfile> {
  await authorize(ctx, actor, 'matching.edit_mentor_profile', { institutionId: actor.institutionId });
  await repo.upsertMentorProfile(ctx.db, {
    mentor_id: actor.userId,
    specialties: distinctLabels(input.specialties),
    topics: distinctLabels(input.topics),
    languages: distinctLabels(input.languages),
    campus: emptyToNull(input.campus),
    capacity: input.capacity,
    updated_at: ctx.clock.now(),
  });
  return getMyMatchingProfile(ctx, actor);
}

/**
 * The mentors a student may rank: mentors of the programs serving the student's cohort whom the
 * firewall allows for them (no assessment relationship, no program exclusion). Why a mentor is
 * missing is never said: it may be someone else's business (a declared family tie, a schedule).
 */
async function allowedMentors(db: Db, studentId: string, cohortId: string) {
  const allowed = new Map<string, ReturnType<typeof toMentorProfile>>();
  for (const programId of await repo.programsOfCohort(db, cohortId)) {
    const mentors = (await repo.programMentors(db, programId)).filter((m) => m.id !== studentId);
    const forbidden = await findForbiddenPairs(
      db,
      programId,
      [studentId],
      mentors.map((m) => m.id),
    );
    for (const mentor of mentors) {
      if (!forbidden.has(pairKey(studentId, mentor.id))) allowed.set(mentor.id, toMentorProfile(mentor));
    }
  }
  return [...allowed.values()].sort((a, b) => a.name.localeCompare(b.name, 'en'));
}

export async function listMentorChoices(ctx: AppContext, actor: UserActor): Promise<MentorChoice[]> {
  await authorize(ctx, actor, 'matching.edit_student_profile', { studentId: actor.userId });
  const student = await repo.findStudentProfile(ctx.db, actor.userId);
  if (!student) throw new AppError('not_found', 'Student was not found');
  return (await allowedMentors(ctx.db, actor.userId, student.cohort_id)).map((m) => ({
    id: m.id,
    name: m.name,
    specialties: [...m.specialties],
    topics: [...m.topics],
    campus: m.campus ?? null,
  }));
}

/** A student sets what they want help with and, optionally, ranks mentors the firewall allows for them. */
export async function saveStudentProfile(
  ctx: AppContext,
  actor: UserActor,
  input: StudentProfileInput,
): Promise<MyMatchingProfile> {
  await authorize(ctx, actor, 'matching.edit_student_profile', { studentId: actor.userId });
  const student = await repo.findStudentProfile(ctx.db, actor.userId);
  if (!student) throw new AppError('not_found', 'Student was not found');
  const seen = new Set<string>();
  input.preferences.forEach((id, i) => {
    if (seen.has(id)) {
      throw new AppError('validation_failed', 'Rank each mentor once', { field: `preferences.${i}` });
    }
    seen.add(id);
  });
  if (input.preferences.length > 0) {
    const allowed = new Set((await allowedMentors(ctx.db, actor.userId, student.cohort_id)).map((m) => m.id));
    const i = input.preferences.findIndex((id) => !allowed.has(id));
    if (i >= 0) {
      throw new AppError('validation_failed', 'Choose mentors from the list offered to you', {
        field: `preferences.${i}`,
      });
    }
  }
  await ctx.db.transaction().execute((trx) =>
    repo.saveStudentProfile(
      trx,
      actor.userId,
      {
        interests: distinctLabels(input.interests),
        topics_wanted: distinctLabels(input.topicsWanted),
        languages: distinctLabels(input.languages),
        campus: emptyToNull(input.campus),
      },
      input.preferences,
      ctx.clock.now(),
    ),
  );
  return getMyMatchingProfile(ctx, actor);
}

/** The program's weights, or the defaults until its director sets them. */
export async function getMatchingWeights(
  ctx: AppContext,
  actor: Actor | null,
  programId: string,
): Promise<MatchingWeights> {
  await authorize(ctx, actor, 'matching.manage', { programId });
  const row = await repo.findWeights(ctx.db, programId);
  if (!row) return { programId, ...DEFAULT_COMPATIBILITY_WEIGHTS, commonLanguages: [], updatedAt: null };
  return {
    programId,
    specialty: row.specialty,
    topics: row.topics,
    language: row.language,
    campus: row.campus,
    preference: row.preference,
    commonLanguages: row.common_languages,
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Sets how much each attribute counts in the program's compatibility scores; at least one must count. */
export async function setMatchingWeights(
  ctx: AppContext,
  actor: Actor | null,
  programId: string,
  input: MatchingWeightsInput,
): Promise<MatchingWeights> {
  await authorize(ctx, actor, 'matching.manage', { programId });
  if (input.specialty + input.topics + input.language + input.campus + input.preference === 0) {
    throw new AppError('validation_failed', 'Give at least one attribute a weight above 0', { field: 'specialty' });
  }
  await repo.upsertWeights(ctx.db, {
    program_id: programId,
    specialty: input.specialty,
    topics: input.topics,
    language: input.language,
    campus: input.campus,
    preference: input.preference,
    common_languages: distinctLabels(input.commonLanguages),
    updated_by: actor?.kind === 'user' ? actor.userId : null,
    updated_at: ctx.clock.now(),
  });
  return getMatchingWeights(ctx, actor, programId);
}
