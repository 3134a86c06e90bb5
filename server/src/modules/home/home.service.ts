import type { Home } from '../../../../common/api.ts';
import type { AppContext } from '../../context.ts';
import type { Actor } from '../../policy/actor.ts';
import { loadRoleGrants } from '../../policy/relationships.ts';
import * as repo from './home.repository.ts';

/**
 * What the signed-in person sees first: one section for each role they hold. Every section is
 * about the person themself (their mentor, their mentees, their programs), so no other
 * student's records or mentoring content appear here.
 */
export async function getHome(
  ctx: Pick<AppContext, 'db' | 'clock'>,
  actor: Extract<Actor, { kind: 'user' }>,
): Promise<Home> {
  const grants = await loadRoleGrants(ctx.db, actor.userId);
  const holds = (role: string) => grants.some((g) => g.role === role);
  const today = ctx.clock.now().toISOString().slice(0, 10);
  const directedProgramIds = grants.filter((g) => g.role === 'director' && g.program_id).map((g) => g.program_id!);

  const [student, mentor, director, assessor, dean, admin] = await Promise.all([
    holds('student') ? studentSection(ctx, actor.userId) : null,
    holds('mentor') ? mentorSection(ctx, actor.userId) : null,
    directedProgramIds.length > 0 ? directorSection(ctx, directedProgramIds) : null,
    holds('assessor') ? repo.assessorCounts(ctx.db, actor.userId, today) : null,
    holds('dean') ? repo.institutionCounts(ctx.db, actor.institutionId) : null,
    holds('admin') ? repo.institutionCounts(ctx.db, actor.institutionId) : null,
  ]);
  return {
    student,
    mentor,
    director,
    assessor,
    dean: dean && {
      students: dean.students,
      faculty: dean.faculty,
      programs: dean.programs,
      activePairings: dean.activePairings,
    },
    admin: admin && {
      students: admin.students,
      faculty: admin.faculty,
      programs: admin.programs,
      cohorts: admin.cohorts,
      activeApiTokens: admin.activeApiTokens,
    },
  };
}

const fullName = (p: { given_name: string; preferred_name: string | null; family_name: string }) =>
  `${p.preferred_name ?? p.given_name} ${p.family_name}`;

async function studentSection(ctx: Pick<AppContext, 'db'>, studentId: string): Promise<Home['student']> {
  const profile = await repo.studentProfile(ctx.db, studentId);
  if (!profile) return null;
  const [programs, mentors] = await Promise.all([
    repo.programsOfCohort(ctx.db, profile.cohort_id),
    repo.mentorsOf(ctx.db, studentId),
  ]);
  return {
    cohort: profile.cohort_name,
    phase: profile.phase_name,
    programs,
    mentors: mentors.map((m) => ({
      id: m.id,
      name: fullName(m),
      email: m.email,
      department: m.department,
      programName: m.program_name,
      kind: m.kind,
      since: m.starts_on,
    })),
  };
}

async function mentorSection(ctx: Pick<AppContext, 'db'>, mentorId: string): Promise<Home['mentor']> {
  const mentees = await repo.menteesOf(ctx.db, mentorId);
  return {
    mentees: mentees.map((m) => ({
      id: m.id,
      name: fullName(m),
      email: m.email,
      programName: m.program_name,
      cohort: m.cohort_name,
      phase: m.phase_name,
      kind: m.kind,
      since: m.starts_on,
    })),
  };
}

async function directorSection(ctx: Pick<AppContext, 'db'>, programIds: string[]): Promise<Home['director']> {
  const [programs, cohortRows] = await Promise.all([
    repo.programsWithMentorCounts(ctx.db, programIds),
    repo.cohortPairingCounts(ctx.db, programIds),
  ]);
  return {
    programs: programs.map((p) => ({
      id: p.id,
      name: p.name,
      mentorCount: p.mentor_count,
      cohorts: cohortRows
        .filter((c) => c.program_id === p.id)
        .map((c) => ({
          id: c.cohort_id,
          name: c.cohort_name,
          students: c.students,
          paired: c.paired,
          unpaired: c.students - c.paired,
        })),
    })),
  };
}
