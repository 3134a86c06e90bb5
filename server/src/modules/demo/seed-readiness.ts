/**
 * The demo school's mentor readiness, in two steps around the pairings.
 *
 * Before the pairings (`seedDemoReadiness`): the longitudinal program requires a mentoring
 * orientation (once), student-privacy training (every 12 months) and its confidentiality
 * agreement, and every one of its mentors has them, so the database's readiness check passes every
 * pairing the seed writes. One mentor's privacy training runs out in two weeks: the director sees
 * it as expiring soon and the reminder sweep tells the mentor.
 *
 * After the pairings (`seedDemoCareerReadiness`): career advising introduced its own requirements
 * this autumn, after its advisors were paired. Two advisors are not ready (one's privacy training
 * lapsed, one has not signed the agreement yet): they keep their advisees, but the program can't
 * give them new ones and they see no records until they catch up.
 */
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { addDays } from '../readiness/readiness.service.ts';
import { localDate } from '../meetings/cadence.service.ts';
import {
  CAREER_PROGRAM_SLUG,
  DEMO_EMAIL_DOMAIN,
  DEMO_TIME_ZONE,
  LONGITUDINAL_PROGRAM_SLUG,
  type DemoSchool,
} from './seed-demo.ts';

export const DEMO_AGREEMENT_TEXT = [
  'As a mentor in this program I keep confidential what my mentees tell me and what I learn from their records.',
  'I use their performance records only to support them, never to grade, rank or report on them, and I do not share them with anyone who assesses them.',
  'If I learn that a mentee’s safety is at risk, I use the program’s safety escalation, which the mentee is told about.',
  'I understand that every time I open a mentee’s records it is logged, and that the mentee can see the log.',
].join('\n\n');

interface Requirement {
  kind: 'training' | 'agreement';
  name: string;
  validityMonths: number | null;
}

const LONGITUDINAL_REQUIREMENTS: Requirement[] = [
  { kind: 'training', name: 'Mentoring orientation', validityMonths: null },
  { kind: 'training', name: 'Student privacy (FERPA)', validityMonths: 12 },
  { kind: 'agreement', name: 'Confidentiality agreement', validityMonths: null },
];
const CAREER_REQUIREMENTS: Requirement[] = [
  { kind: 'training', name: 'Career advising orientation', validityMonths: null },
  { kind: 'training', name: 'Student privacy (FERPA)', validityMonths: 12 },
  { kind: 'agreement', name: 'Confidentiality agreement', validityMonths: null },
];

function programOf(school: DemoSchool, slug: string) {
  const program = school.programs.find((p) => p.slug === slug);
  if (!program?.id) throw new Error(`Demo seed: no program ${slug}`);
  return { id: program.id, name: program.name };
}

/** The program's mentors, by email so the choice of who lags behind repeats from run to run. */
function mentorsOf(school: DemoSchool, programId: string) {
  const ids = new Set(
    school.roleGrants.filter((g) => g.role === 'mentor' && g.program_id === programId).map((g) => g.user_id),
  );
  return school.users.filter((u) => ids.has(u.id!)).sort((a, b) => a.email.localeCompare(b.email));
}

async function insertRequirements(trx: Transaction<DB>, programId: string, list: Requirement[], by: string, at: Date) {
  const ids = new Map<string, string>();
  for (const r of list) {
    const row = await trx
      .insertInto('readiness_requirements')
      .values({
        program_id: programId,
        kind: r.kind,
        name: r.name,
        required: true,
        validity_months: r.validityMonths,
        agreement_text: r.kind === 'agreement' ? DEMO_AGREEMENT_TEXT : null,
        agreement_version: r.kind === 'agreement' ? 1 : null,
        created_by: by,
        created_at: at,
        updated_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.set(r.name, row.id);
  }
  return ids;
}

interface Completion {
  requirementId: string;
  mentorId: string;
  completedOn: string;
  agreement: boolean;
}

async function insertCompletions(trx: Transaction<DB>, rows: Completion[], by: string, at: Date) {
  if (rows.length === 0) return;
  await trx
    .insertInto('readiness_completions')
    .values(
      rows.map((c) => ({
        requirement_id: c.requirementId,
        mentor_id: c.mentorId,
        completed_on: c.completedOn,
        expires_on: null,
        agreement_version: c.agreement ? 1 : null,
        // Trainings come from the school's learning system; agreements were signed in the app.
        source: c.agreement ? ('signed' as const) : ('import' as const),
        recorded_by: c.agreement ? c.mentorId : by,
        recorded_at: at,
      })),
    )
    .execute();
}

const named = (email: string) =>
  email === `mentor@${DEMO_EMAIL_DOMAIN}` || email === `mentor.assessor@${DEMO_EMAIL_DOMAIN}`;

/** The longitudinal program's requirements, every mentor ready; one privacy training expiring in two weeks. */
export async function seedDemoReadiness(trx: Transaction<DB>, school: DemoSchool, now: Date): Promise<void> {
  const director = school.users.find((u) => u.email === `director@${DEMO_EMAIL_DOMAIN}`)!;
  const program = programOf(school, LONGITUDINAL_PROGRAM_SLUG);
  const today = localDate(now, DEMO_TIME_ZONE);
  const ids = await insertRequirements(trx, program.id, LONGITUDINAL_REQUIREMENTS, director.id!, now);
  const mentors = mentorsOf(school, program.id);
  const expiringSoon = mentors.find((m) => !named(m.email));
  const rows: Completion[] = [];
  mentors.forEach((m, i) => {
    // Oriented and signed the agreement when they joined, one to four years ago.
    const joined = addDays(today, -(400 + ((97 * i) % 1100)));
    // Privacy training within the last eleven months; one mentor's turns a year old in 14 days.
    const privacy = m === expiringSoon ? addDays(today, -(365 - 14)) : addDays(today, -(20 + ((37 * i) % 300)));
    rows.push(
      { requirementId: ids.get('Mentoring orientation')!, mentorId: m.id!, completedOn: joined, agreement: false },
      { requirementId: ids.get('Student privacy (FERPA)')!, mentorId: m.id!, completedOn: privacy, agreement: false },
      { requirementId: ids.get('Confidentiality agreement')!, mentorId: m.id!, completedOn: joined, agreement: true },
    );
  });
  await insertCompletions(trx, rows, director.id!, now);
}

/**
 * Career advising's requirements, added after its advisors were paired: everyone ready but two,
 * one whose privacy training lapsed twelve days ago and one who has not signed the agreement.
 */
export async function seedDemoCareerReadiness(trx: Transaction<DB>, school: DemoSchool, now: Date): Promise<void> {
  const director = school.users.find((u) => u.email === `director@${DEMO_EMAIL_DOMAIN}`)!;
  const program = programOf(school, CAREER_PROGRAM_SLUG);
  const today = localDate(now, DEMO_TIME_ZONE);
  const introduced = new Date(now.getTime() - 40 * 86_400_000);
  const ids = await insertRequirements(trx, program.id, CAREER_REQUIREMENTS, director.id!, introduced);
  const advisors = mentorsOf(school, program.id).filter((m) => !named(m.email));
  const [lapsed, unsigned] = advisors;
  const rows: Completion[] = [];
  advisors.forEach((m, i) => {
    const oriented = addDays(today, -(30 + 3 * i));
    const privacy = m === lapsed ? addDays(today, -(365 + 12)) : addDays(today, -(25 + 5 * i));
    rows.push(
      {
        requirementId: ids.get('Career advising orientation')!,
        mentorId: m.id!,
        completedOn: oriented,
        agreement: false,
      },
      { requirementId: ids.get('Student privacy (FERPA)')!, mentorId: m.id!, completedOn: privacy, agreement: false },
    );
    if (m !== unsigned) {
      rows.push({
        requirementId: ids.get('Confidentiality agreement')!,
        mentorId: m.id!,
        completedOn: oriented,
        agreement: true,
      });
    }
  });
  await insertCompletions(trx, rows, director.id!, now);
}
