import { randomUUID } from 'node:crypto';
import { sql, type Insertable, type Kysely } from 'kysely';
import type { AppContext } from '../../context.ts';
import type { DB, Role } from '../../db/schema.ts';
import { seedDemoMatching, seedDemoMentoring } from './seed-mentoring.ts';
import { seedDemoRecords } from './seed-records.ts';
import { seedDemoEarlyWarning } from './seed-early-warning.ts';
import { seedDemoMessages } from './seed-messages.ts';
import { seedDemoCompensation } from './seed-compensation.ts';
import { seedDemoPairingChanges } from './seed-pairing-changes.ts';
import { seedDemoSafety } from './seed-safety.ts';
import { seedDemoCareerReadiness, seedDemoReadiness } from './seed-readiness.ts';
import { hashPassword } from '../auth/passwords.ts';
import { NAME_GROUPS, PREFERRED_NAMES, type NameGroup } from './names.ts';

/**
 * The demo school: "Riverside School of Medicine", four enrolled classes, ~150 students, ~40
 * faculty, two mentorship programs, a course catalog with this year's enrollments (pre-clerkship
 * courses, the clerkships block by block, the acting internship), course directorships, ward
 * attendings, a promotions committee and mentor pairings that respect the firewall, plus the
 * firewall's own demo content: two program exclusions and one open conflict in the queue.
 * Generated from a fixed seed, so the same people, schedule and pairings come out every time;
 * only ids and dates (which follow the clock's academic year) differ.
 */

export const DEMO_PASSWORD = 'mentor-demo-2026';
export const DEMO_INSTITUTION_SLUG = 'demo-som';
export const DEMO_INSTITUTION_NAME = 'Riverside School of Medicine';
export const DEMO_EMAIL_DOMAIN = 'demo.medmentor.test';
export const DEMO_TIME_ZONE = 'America/New_York';
export const LONGITUDINAL_PROGRAM_SLUG = 'longitudinal-mentorship';
export const CAREER_PROGRAM_SLUG = 'career-advising';

export interface DemoLogin {
  role: string;
  email: string;
  description: string;
}

export interface DemoSeedResult {
  created: boolean;
  logins: DemoLogin[];
}

const SEED = 20_260_815;
const DAY_MS = 86_400_000;
const MAIN_CAMPUS = 'Main campus';
const NORTHSIDE_CAMPUS = 'Northside campus';

// ---------------------------------------------------------------------------------------------
// The named demo accounts

interface NamedPerson {
  email: string;
  given: string;
  family: string;
  pronouns: string;
  campus: string;
  department?: string;
  title?: string;
}

const NAMED = {
  admin: {
    email: `admin@${DEMO_EMAIL_DOMAIN}`,
    given: 'Rosa',
    family: 'Delgado',
    pronouns: 'she/her',
    campus: MAIN_CAMPUS,
  },
  director: {
    email: `director@${DEMO_EMAIL_DOMAIN}`,
    given: 'Samuel',
    family: 'Adeyemi',
    pronouns: 'he/him',
    campus: MAIN_CAMPUS,
    department: 'Internal Medicine',
    title: 'Professor',
  },
  dean: {
    email: `dean@${DEMO_EMAIL_DOMAIN}`,
    given: 'Margaret',
    family: 'Whitfield',
    pronouns: 'she/her',
    campus: MAIN_CAMPUS,
    department: 'Office of the Dean',
    title: 'Professor and Dean',
  },
  mentor: {
    email: `mentor@${DEMO_EMAIL_DOMAIN}`,
    given: 'Amara',
    family: 'Okafor',
    pronouns: 'she/her',
    campus: MAIN_CAMPUS,
    department: 'Family Medicine',
    title: 'Associate Professor',
  },
  student: {
    email: `student@${DEMO_EMAIL_DOMAIN}`,
    given: 'Sofia',
    family: 'Ramirez',
    pronouns: 'she/her',
    campus: MAIN_CAMPUS,
  },
  unmatched: {
    email: `student.unmatched@${DEMO_EMAIL_DOMAIN}`,
    given: 'Kwame',
    family: 'Mensah',
    pronouns: 'he/him',
    campus: NORTHSIDE_CAMPUS,
  },
  assessor: {
    email: `assessor@${DEMO_EMAIL_DOMAIN}`,
    given: 'Robert',
    family: 'Lindqvist',
    pronouns: 'he/him',
    campus: MAIN_CAMPUS,
    department: 'Pediatrics',
    title: 'Associate Professor',
  },
  mentorAssessor: {
    email: `mentor.assessor@${DEMO_EMAIL_DOMAIN}`,
    given: 'Farah',
    family: 'Haddad',
    pronouns: 'she/her',
    campus: MAIN_CAMPUS,
    department: 'Internal Medicine',
    title: 'Assistant Professor',
  },
} as const satisfies Record<string, NamedPerson>;

/** The accounts to sign in with, all with DEMO_PASSWORD; the same list whether or not seeding created anything. */
export function demoLogins(): DemoLogin[] {
  return [
    {
      role: 'admin',
      email: NAMED.admin.email,
      description: 'Rosa Delgado, program administrator in the Office of Medical Education: programs, rosters, imports',
    },
    {
      role: 'director',
      email: NAMED.director.email,
      description:
        'Dr. Samuel Adeyemi, director of the Longitudinal Mentorship and Career Advising programs: one open firewall conflict to resolve and a draft matching round for the first-years waiting for a mentor',
    },
    {
      role: 'dean',
      email: NAMED.dean.email,
      description: 'Dr. Margaret Whitfield, dean: program-level reports and the audit trail, no mentoring content',
    },
    {
      role: 'mentor',
      email: NAMED.mentor.email,
      description: 'Dr. Amara Okafor (Family Medicine), longitudinal mentor of 5 students, including Sofia Ramirez',
    },
    {
      role: 'student',
      email: NAMED.student.email,
      description: 'Sofia Ramirez, third-year student in the clerkship phase, mentored by Dr. Okafor',
    },
    {
      role: 'student',
      email: NAMED.unmatched.email,
      description:
        'Kwame Mensah, first-year (pre-clerkship) student who has no mentor yet (one mentor is excluded for him)',
    },
    {
      role: 'assessor',
      email: NAMED.assessor.email,
      description:
        'Dr. Robert Lindqvist, director of PED-CLK Pediatrics Clerkship: grades every third-year, mentors no one',
    },
    {
      role: 'mentor, assessor',
      email: NAMED.mentorAssessor.email,
      description:
        'Dr. Farah Haddad (Internal Medicine): ward attending who assesses some third-years and mentors other students (the firewall case)',
    },
    {
      role: 'wellbeing',
      email: `wellbeing@${DEMO_EMAIL_DOMAIN}`,
      description:
        'Dr. Grace Whitaker, Director of Student Wellbeing: the wellbeing contact of both programs, with one safety escalation from Dr. Okafor',
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

/** mulberry32: a tiny, fast 32-bit PRNG; good enough for demo data, never for secrets. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Rng {
  next(): number;
  /** An integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  weighted<T extends { weight: number }>(items: readonly T[]): T;
  shuffle<T>(items: readonly T[]): T[];
}

function makeRng(seed: number): Rng {
  const next = mulberry32(seed);
  const rng: Rng = {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p) => next() < p,
    pick: (items) => at(items, Math.floor(next() * items.length)),
    weighted: (items) => {
      const total = items.reduce((sum, item) => sum + item.weight, 0);
      let r = next() * total;
      for (const item of items) {
        r -= item.weight;
        if (r < 0) return item;
      }
      return at(items, items.length - 1);
    },
    shuffle: (items) => {
      const out = [...items];
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [out[i], out[j]] = [at(out, j), at(out, i)];
      }
      return out;
    },
  };
  return rng;
}

function at<T>(items: readonly T[], index: number): T {
  if (index < 0 || index >= items.length) throw new Error(`Demo seed: index ${index} out of range`);
  return items[index] as T;
}

function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`Demo seed: missing ${what}`);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Dates: the academic year runs July 1 to June 30 in the school's time zone

function localToday(now: Date, timeZone: string): { year: number; month: number; iso: string } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' })
    .formatToParts(now)
    .reduce<Record<string, number>>((acc, part) => {
      if (part.type !== 'literal') acc[part.type] = Number(part.value);
      return acc;
    }, {});
  const year = must(parts.year, 'year');
  const month = must(parts.month, 'month');
  const day = must(parts.day, 'day');
  return { year, month, iso: isoDate(year, month, day) };
}

function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function addDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

function firstMondayOnOrAfter(iso: string): string {
  const weekday = new Date(`${iso}T00:00:00Z`).getUTCDay();
  return addDays(iso, (8 - weekday) % 7);
}

function earlier(a: string, b: string): string {
  return a < b ? a : b;
}

// ---------------------------------------------------------------------------------------------
// The school's structure

interface Clerkship {
  code: string;
  name: string;
  /** The clerkship's course code in the catalog; its clerkship director is the course director. */
  course: string;
}

const CLERKSHIPS = {
  IM: { code: 'IM', name: 'Internal Medicine', course: 'MED-CLK' },
  SURG: { code: 'SURG', name: 'Surgery', course: 'SURG-CLK' },
  PEDS: { code: 'PEDS', name: 'Pediatrics', course: 'PED-CLK' },
  OBGYN: { code: 'OBGYN', name: 'Obstetrics & Gynecology', course: 'OBG-CLK' },
  PSYCH: { code: 'PSYCH', name: 'Psychiatry', course: 'PSY-CLK' },
  NEURO: { code: 'NEURO', name: 'Neurology', course: 'NEU-CLK' },
  FM: { code: 'FM', name: 'Family Medicine', course: 'FM-CLK' },
  EM: { code: 'EM', name: 'Emergency Medicine', course: 'EM-CLK' },
} as const satisfies Record<string, Clerkship>;

/** Six eight-week blocks; the last two are split into four-week halves. Tracks rotate through them. */
const BLOCKS: readonly (readonly Clerkship[])[] = [
  [CLERKSHIPS.IM],
  [CLERKSHIPS.SURG],
  [CLERKSHIPS.PEDS],
  [CLERKSHIPS.OBGYN],
  [CLERKSHIPS.PSYCH, CLERKSHIPS.NEURO],
  [CLERKSHIPS.FM, CLERKSHIPS.EM],
];
const TRACKS = BLOCKS.length;

const DEPARTMENT_OF: Record<string, string> = {
  IM: 'Internal Medicine',
  SURG: 'Surgery',
  PEDS: 'Pediatrics',
  OBGYN: 'Obstetrics & Gynecology',
  PSYCH: 'Psychiatry',
  NEURO: 'Neurology',
  FM: 'Family Medicine',
  EM: 'Emergency Medicine',
};

/** Students per class, first-years first. */
const CLASS_SIZES = { 1: 38, 2: 37, 3: 38, 4: 37 } as const;
type YearOfStudy = 1 | 2 | 3 | 4;
const YEARS: readonly YearOfStudy[] = [1, 2, 3, 4];
/** Students left without a longitudinal mentor, per class (the unmatched demo student is one of the first-years). */
const UNMATCHED_PER_CLASS = { 1: 6, 2: 3, 3: 3, 4: 3 } as const;
const CAREER_PAIRINGS = 16;

type Slot = string;
interface FacultySpec {
  slot: Slot;
  department: string;
  title?: string;
  named?: NamedPerson;
  longitudinal?: boolean;
  assessor?: boolean;
}

const SENIOR_TITLES = [
  { value: 'Associate Professor', weight: 3 },
  { value: 'Professor', weight: 2 },
];
const TITLES = [
  { value: 'Assistant Professor', weight: 9 },
  { value: 'Associate Professor', weight: 5 },
  { value: 'Professor', weight: 3 },
  { value: 'Clinical Instructor', weight: 3 },
];

/**
 * Who the faculty are and what they do. 25 longitudinal mentors (5 of them also assessors of
 * other students), 18 assessors, 2 faculty with no role yet, plus the director and the dean.
 */
function facultySpecs(): FacultySpec[] {
  const specs: FacultySpec[] = [
    { slot: 'director', department: NAMED.director.department, title: NAMED.director.title, named: NAMED.director },
    { slot: 'dean', department: NAMED.dean.department, title: NAMED.dean.title, named: NAMED.dean },
  ];
  // Clerkship directors: they grade every third-year. Psychiatry's and Neurology's also mentor (other classes).
  for (const { code } of Object.values(CLERKSHIPS)) {
    const spec: FacultySpec = {
      slot: `clerkship:${code}`,
      department: must(DEPARTMENT_OF[code], code),
      assessor: true,
      longitudinal: code === 'PSYCH' || code === 'NEURO',
    };
    if (code === 'PEDS') {
      spec.named = NAMED.assessor;
      spec.title = NAMED.assessor.title;
    }
    specs.push(spec);
  }
  // Ward attendings: they evaluate the third-years on some tracks of their clerkship.
  specs.push(
    {
      slot: 'attending:IM-A',
      department: NAMED.mentorAssessor.department,
      title: NAMED.mentorAssessor.title,
      named: NAMED.mentorAssessor,
      assessor: true,
      longitudinal: true,
    },
    { slot: 'attending:IM-B', department: 'Internal Medicine', assessor: true },
    { slot: 'attending:SURG', department: 'Surgery', assessor: true, longitudinal: true },
    { slot: 'attending:OBGYN', department: 'Obstetrics & Gynecology', assessor: true },
    // Course directors: they assess every student enrolled in their courses.
    { slot: 'course:FOM', department: 'Pathology', assessor: true },
    { slot: 'course:CPR', department: 'Internal Medicine', assessor: true, longitudinal: true },
    { slot: 'course:SUBI', department: 'Internal Medicine', assessor: true },
    // The promotions committee: every class.
    { slot: 'committee:1', department: 'Psychiatry', assessor: true },
    { slot: 'committee:2', department: 'Obstetrics & Gynecology', assessor: true },
    { slot: 'committee:3', department: 'Pediatrics', assessor: true },
    // Mentors who assess no one.
    {
      slot: 'mentor:named',
      department: NAMED.mentor.department,
      title: NAMED.mentor.title,
      named: NAMED.mentor,
      longitudinal: true,
    },
  );
  const mentorDepartments = [
    'Internal Medicine',
    'Internal Medicine',
    'Internal Medicine',
    'Pediatrics',
    'Pediatrics',
    'Family Medicine',
    'Family Medicine',
    'Psychiatry',
    'Surgery',
    'Emergency Medicine',
    'Neurology',
    'Radiology',
    'Pathology',
    'Anesthesiology',
    'Obstetrics & Gynecology',
    'Dermatology',
    'Orthopaedic Surgery',
    'Ophthalmology',
    'Physical Medicine & Rehabilitation',
  ];
  mentorDepartments.forEach((department, i) => specs.push({ slot: `mentor:${i + 1}`, department, longitudinal: true }));
  // On the roster, not (yet) in any program.
  specs.push({ slot: 'faculty:1', department: 'Radiology' }, { slot: 'faculty:2', department: 'Pathology' });
  return specs;
}

/** A course in the catalog and the faculty slot that directs it. */
interface Course {
  code: string;
  name: string;
  department: string;
  director: Slot;
}

/**
 * The catalog's pre- and post-clerkship courses (each clerkship is a course too, see CLERKSHIPS):
 * the class that takes each this year and when. 'fall' starts the first Monday of August,
 * 'spring' after winter break; 'half-block' gives each student one four-week half of a clerkship
 * block, July to February. The Foundations sequence has one director.
 */
interface CourseSpec extends Course {
  year: YearOfStudy;
  term: 'fall' | 'spring' | 'half-block';
  weeks: number;
}
const COURSES: readonly CourseSpec[] = [
  {
    code: 'FOM1',
    name: 'Foundations of Medicine I',
    department: 'Pathology',
    year: 1,
    director: 'course:FOM',
    term: 'fall',
    weeks: 20,
  },
  {
    code: 'FOM2',
    name: 'Foundations of Medicine II',
    department: 'Pathology',
    year: 1,
    director: 'course:FOM',
    term: 'spring',
    weeks: 20,
  },
  {
    code: 'CPR',
    name: 'Cardiopulmonary & Renal',
    department: 'Internal Medicine',
    year: 2,
    director: 'course:CPR',
    term: 'fall',
    weeks: 16,
  },
  {
    code: 'SUB-I',
    name: 'Acting Internship',
    department: 'Internal Medicine',
    year: 4,
    director: 'course:SUBI',
    term: 'half-block',
    weeks: 4,
  },
];

/** Which tracks of third-years each ward attending evaluates. */
const ATTENDING_TRACKS: Record<Slot, { clerkship: string; tracks: readonly number[] }> = {
  'attending:IM-A': { clerkship: 'IM', tracks: [0, 3] },
  'attending:IM-B': { clerkship: 'IM', tracks: [1, 4] },
  'attending:SURG': { clerkship: 'SURG', tracks: [2, 5] },
  'attending:OBGYN': { clerkship: 'OBGYN', tracks: [0, 2, 4] },
};

// ---------------------------------------------------------------------------------------------
// Building the rows

export interface DemoSchool {
  institution: Insertable<DB['institutions']> & { id: string };
  phases: Insertable<DB['phases']>[];
  cohorts: Insertable<DB['cohorts']>[];
  programs: Insertable<DB['programs']>[];
  programCohorts: Insertable<DB['program_cohorts']>[];
  users: Insertable<DB['users']>[];
  students: Insertable<DB['students']>[];
  faculty: Insertable<DB['faculty']>[];
  roleGrants: Insertable<DB['role_grants']>[];
  institutionSettings: Insertable<DB['institution_settings']>;
  courses: Insertable<DB['courses']>[];
  courseEnrollments: Insertable<DB['course_enrollments']>[];
  assessments: Insertable<DB['assessment_relationships']>[];
  programExclusions: Insertable<DB['program_exclusions']>[];
  pairings: Insertable<DB['pairings']>[];
  /**
   * Written after the pairings: a schedule change that makes one student's current mentor their
   * ward attending. The database flags the pair into the conflict queue by itself.
   */
  scheduleChange: Insertable<DB['assessment_relationships']> & { id: string; student_id: string };
}

interface Person {
  id: string;
  given: string;
  family: string;
  preferred: string | null;
  pronouns: string | null;
  email: string;
  campus: string;
  externalId: string | null;
}

interface Student extends Person {
  year: YearOfStudy;
  cohortId: string;
  track: number | null;
}

interface Faculty extends Person {
  spec: FacultySpec;
}

function emailLocalPart(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '');
}

function makePeople(rng: Rng, newId: () => string) {
  const usedNames = new Set<string>();
  const usedEmails = new Set<string>(Object.values(NAMED).map((n) => n.email));

  function uniqueEmail(given: string, family: string): string {
    const base = `${emailLocalPart(given)}.${emailLocalPart(family)}`;
    let email = `${base}@${DEMO_EMAIL_DOMAIN}`;
    for (let n = 2; usedEmails.has(email); n++) email = `${base}${n}@${DEMO_EMAIL_DOMAIN}`;
    usedEmails.add(email);
    return email;
  }

  return {
    named(person: NamedPerson): Person {
      usedNames.add(`${person.given} ${person.family}`);
      return {
        id: newId(),
        given: person.given,
        family: person.family,
        preferred: null,
        pronouns: person.pronouns,
        email: person.email,
        campus: person.campus,
        externalId: null,
      };
    },
    random(mainCampusShare: number): Person {
      let group: NameGroup;
      let gender: 'f' | 'm';
      let given: string;
      let family: string;
      let attempts = 0;
      do {
        group = rng.weighted(NAME_GROUPS);
        gender = rng.chance(0.5) ? 'f' : 'm';
        given = rng.pick(group[gender]);
        // Some family names come from another origin: marriage, adoption, mixed families.
        family = rng.pick((rng.chance(0.06) ? rng.weighted(NAME_GROUPS) : group).family);
        attempts++;
      } while (usedNames.has(`${given} ${family}`) && attempts < 3);
      usedNames.add(`${given} ${family}`);
      const nickname = PREFERRED_NAMES[given];
      const preferred = nickname && rng.chance(0.6) ? nickname : null;
      const r = rng.next();
      const pronouns = r < 0.04 ? 'they/them' : r < 0.85 ? (gender === 'f' ? 'she/her' : 'he/him') : null;
      return {
        id: newId(),
        given,
        family,
        preferred,
        pronouns,
        email: uniqueEmail(given, family),
        campus: rng.chance(mainCampusShare) ? MAIN_CAMPUS : NORTHSIDE_CAMPUS,
        externalId: null,
      };
    },
  };
}

function byName(a: Person, b: Person): number {
  return a.family.localeCompare(b.family, 'en') || a.given.localeCompare(b.given, 'en');
}

/** Builds every row of the demo school in memory; pure apart from `newId`. Throws if the firewall would be broken. */
export function buildDemoSchool(options: { now: Date; passwordHash: string; newId?: () => string }): DemoSchool {
  const newId = options.newId ?? randomUUID;
  const rng = makeRng(SEED);
  const nowIso = options.now.toISOString();
  const today = localToday(options.now, DEMO_TIME_ZONE);
  /** The calendar year the current academic year started in (July 1). */
  const academicYear = today.month >= 7 ? today.year : today.year - 1;
  const yearStart = isoDate(academicYear, 7, 1);
  const yearEnd = isoDate(academicYear + 1, 6, 30);
  const notAfterToday = (iso: string) => earlier(iso, today.iso);

  const institution = {
    id: newId(),
    slug: DEMO_INSTITUTION_SLUG,
    name: DEMO_INSTITUTION_NAME,
    time_zone: DEMO_TIME_ZONE,
    created_at: nowIso,
  };
  const institutionId = institution.id;

  // Phases and cohorts
  const phaseIds = { pre_clerkship: newId(), clerkship: newId(), post_clerkship: newId() };
  const phases: DemoSchool['phases'] = [
    {
      id: phaseIds.pre_clerkship,
      institution_id: institutionId,
      key: 'pre_clerkship',
      name: 'Pre-clerkship',
      ordinal: 0,
    },
    { id: phaseIds.clerkship, institution_id: institutionId, key: 'clerkship', name: 'Clerkship', ordinal: 1 },
    {
      id: phaseIds.post_clerkship,
      institution_id: institutionId,
      key: 'post_clerkship',
      name: 'Post-clerkship',
      ordinal: 2,
    },
  ];
  const phaseOf = (year: YearOfStudy) =>
    year <= 2 ? phaseIds.pre_clerkship : year === 3 ? phaseIds.clerkship : phaseIds.post_clerkship;
  const graduationYear = (year: YearOfStudy) => academicYear + 5 - year;
  /** Matriculation: early August of the year the class started. */
  const matriculation = (year: YearOfStudy) => isoDate(graduationYear(year) - 4, 8, 1);
  const cohortIds = new Map<YearOfStudy, string>(YEARS.map((year) => [year, newId()]));
  const cohortId = (year: YearOfStudy) => must(cohortIds.get(year), `cohort ${year}`);
  const cohorts: DemoSchool['cohorts'] = [...YEARS].reverse().map((year) => ({
    id: cohortId(year),
    institution_id: institutionId,
    graduation_year: graduationYear(year),
    name: `Class of ${graduationYear(year)}`,
    created_at: nowIso,
  }));

  // Programs
  const longitudinalId = newId();
  const careerId = newId();
  const programs: DemoSchool['programs'] = [
    {
      id: longitudinalId,
      institution_id: institutionId,
      slug: LONGITUDINAL_PROGRAM_SLUG,
      name: 'Longitudinal Mentorship Program',
      description:
        'Every student is paired from matriculation to graduation with a faculty mentor who never grades them. ' +
        'Mentor and student meet monthly with a structured agenda, review performance records together, ' +
        'and follow recurring themes and development goals across all four years.',
      created_at: nowIso,
    },
    {
      id: careerId,
      institution_id: institutionId,
      slug: CAREER_PROGRAM_SLUG,
      name: 'Career Advising Program',
      description:
        'Third- and fourth-year students meet a career advisor in their specialty of interest to plan electives, ' +
        'away rotations, residency applications and the Match, and to talk through life and career decisions.',
      created_at: nowIso,
    },
  ];
  const programCohorts: DemoSchool['programCohorts'] = [
    ...YEARS.map((year) => ({ program_id: longitudinalId, cohort_id: cohortId(year) })),
    ...([3, 4] as const).map((year) => ({ program_id: careerId, cohort_id: cohortId(year) })),
  ];

  // People
  const people = makePeople(rng, newId);
  const admin = people.named(NAMED.admin);

  const specs = facultySpecs();
  const faculty: Faculty[] = specs.map((spec) => {
    const person = spec.named ? people.named(spec.named) : people.random(0.7);
    if (!spec.title) spec.title = rng.weighted(spec.assessor ? SENIOR_TITLES : TITLES).value;
    return { ...person, spec };
  });
  rng.shuffle(faculty).forEach((f, i) => (f.externalId = `F-${String(i + 1).padStart(4, '0')}`));
  const bySlot = new Map(faculty.map((f) => [f.spec.slot, f]));
  const slot = (name: Slot) => must(bySlot.get(name), `faculty slot ${name}`);
  const director = slot('director');

  const students: Student[] = [];
  const demoStudent = { ...people.named(NAMED.student), year: 3 as const, cohortId: cohortId(3), track: null };
  const unmatchedStudent = { ...people.named(NAMED.unmatched), year: 1 as const, cohortId: cohortId(1), track: null };
  for (const year of YEARS) {
    const inClass: Student[] = [];
    if (year === demoStudent.year) inClass.push(demoStudent);
    if (year === unmatchedStudent.year) inClass.push(unmatchedStudent);
    while (inClass.length < CLASS_SIZES[year]) {
      inClass.push({ ...people.random(0.65), year, cohortId: cohortId(year), track: null });
    }
    inClass.sort(byName).forEach((s, i) => {
      s.externalId = `S${graduationYear(year)}-${String(i + 1).padStart(3, '0')}`;
    });
    students.push(...inClass);
  }
  const classOf = (year: YearOfStudy) => students.filter((s) => s.year === year);
  rng.shuffle(classOf(3)).forEach((s, i) => (s.track = i % TRACKS));

  // The course catalog and this year's enrollments. Third-years take each clerkship in the block
  // their track puts it in: six eight-week blocks, the last two split into four-week halves.
  const firstBlock = firstMondayOnOrAfter(yearStart);
  const blockStart = (block: number) => addDays(firstBlock, 56 * block + (block >= 3 ? 14 : 0)); // two weeks of winter break
  const fallStart = firstMondayOnOrAfter(isoDate(academicYear, 8, 1));
  const springStart = blockStart(3);
  const catalog: Course[] = [
    ...COURSES.filter((c) => c.year < 3),
    ...Object.values(CLERKSHIPS).map((c) => ({
      code: c.course,
      name: `${c.name} Clerkship`,
      department: must(DEPARTMENT_OF[c.code], c.code),
      director: `clerkship:${c.code}`,
    })),
    ...COURSES.filter((c) => c.year > 3),
  ];
  const courses: DemoSchool['courses'] = catalog.map((c) => ({
    id: newId(),
    institution_id: institutionId,
    code: c.code,
    name: c.name,
    department: c.department,
    created_at: nowIso,
  }));
  const courseIds = new Map(courses.map((c) => [c.code, must(c.id, 'course id')]));
  const courseId = (code: string) => must(courseIds.get(code), `course ${code}`);
  const courseEnrollments: DemoSchool['courseEnrollments'] = [];
  const enroll = (code: string, student: Student, starts: string, ends: string) =>
    courseEnrollments.push({ course_id: courseId(code), student_id: student.id, starts_on: starts, ends_on: ends });
  /** Each third-year's clerkship windows, in order. */
  const clerkshipWindows = new Map<Student, { clerkship: Clerkship; starts: string; ends: string }[]>();
  for (const course of COURSES) {
    // Roster order, so the half-blocks are spread the same way every time.
    classOf(course.year).forEach((student, i) => {
      const starts =
        course.term === 'fall'
          ? fallStart
          : course.term === 'spring'
            ? springStart
            : addDays(blockStart(Math.floor(i / 2) % 4), 28 * (i % 2));
      enroll(course.code, student, starts, addDays(starts, 7 * course.weeks - 3));
    });
  }
  for (const student of classOf(3)) {
    const track = must(student.track ?? undefined, 'track');
    const windows: { clerkship: Clerkship; starts: string; ends: string }[] = [];
    for (let block = 0; block < BLOCKS.length; block++) {
      const start = blockStart(block);
      const group = at(BLOCKS, (block + track) % BLOCKS.length);
      const ordered = track % 2 === 0 ? group : [...group].reverse();
      if (ordered.length === 1) windows.push({ clerkship: at(ordered, 0), starts: start, ends: addDays(start, 53) });
      else {
        ordered.forEach((clerkship, half) =>
          windows.push({ clerkship, starts: addDays(start, 28 * half), ends: addDays(start, 28 * half + 25) }),
        );
      }
    }
    clerkshipWindows.set(student, windows);
    for (const { clerkship, starts, ends } of windows) enroll(clerkship.course, student, starts, ends);
  }

  // Assessment relationships. Imported with the schedule: course directorships (every student
  // enrolled in the course) and ward attendings (the third-years of some tracks, rotation by
  // rotation). Entered by hand: the promotions committee (every class).
  const assessments: DemoSchool['assessments'] = [];
  for (const course of catalog) {
    const id = courseId(course.code);
    const enrollments = courseEnrollments.filter((e) => e.course_id === id);
    assessments.push({
      institution_id: institutionId,
      assessor_id: slot(course.director).id,
      course_id: id,
      kind: 'course_director',
      context: `${course.code} ${course.name}: course director`,
      starts_on: enrollments.map((e) => e.starts_on).reduce(earlier),
      ends_on: enrollments.map((e) => must(e.ends_on ?? undefined, 'ends_on')).reduce((a, b) => (a > b ? a : b)),
      external_id: `CRS-${academicYear}-${course.code}-DIR`,
      source: 'import',
      created_by: admin.id,
      created_at: nowIso,
    });
  }
  for (const student of classOf(3)) {
    const track = must(student.track ?? undefined, 'track');
    for (const { clerkship, starts, ends } of must(clerkshipWindows.get(student), 'windows')) {
      for (const [attendingSlot, coverage] of Object.entries(ATTENDING_TRACKS)) {
        if (coverage.clerkship !== clerkship.code || !coverage.tracks.includes(track)) continue;
        assessments.push({
          institution_id: institutionId,
          assessor_id: slot(attendingSlot).id,
          student_id: student.id,
          kind: 'rotation',
          context: `${clerkship.name} clerkship (ward attending)`,
          starts_on: starts,
          ends_on: ends,
          external_id: `ROT-${academicYear}-${clerkship.code}-${student.externalId}-ATT`,
          source: 'import',
          created_by: admin.id,
          created_at: nowIso,
        });
      }
    }
  }
  for (const member of ['committee:1', 'committee:2', 'committee:3']) {
    for (const year of YEARS) {
      assessments.push({
        institution_id: institutionId,
        assessor_id: slot(member).id,
        cohort_id: cohortId(year),
        kind: 'committee',
        context: 'Student Promotions Committee',
        starts_on: yearStart,
        ends_on: yearEnd,
        source: 'manual',
        created_by: admin.id,
        created_at: nowIso,
      });
    }
  }

  // The firewall, as data: every (assessor, student) pair, as the database's assessing_relationships()
  // sees it: a student row, the student's cohort, or a course the student is enrolled in. Dates do
  // not matter: past, present and scheduled assessment all count.
  const enrolledIn = new Map<string, string[]>();
  for (const e of courseEnrollments)
    enrolledIn.set(e.course_id, [...(enrolledIn.get(e.course_id) ?? []), e.student_id]);
  const studentsAssessedBy = (row: DemoSchool['assessments'][number]): string[] => {
    if (row.student_id) return [row.student_id];
    if (row.cohort_id) return students.filter((s) => s.cohortId === row.cohort_id).map((s) => s.id);
    if (row.course_id) return enrolledIn.get(row.course_id) ?? [];
    throw new Error('Demo seed: an assessment relationship without a target');
  };
  const conflicts = new Set<string>();
  for (const row of assessments) for (const id of studentsAssessedBy(row)) conflicts.add(`${row.assessor_id} ${id}`);
  const assesses = (mentor: Person, student: Person) => conflicts.has(`${mentor.id} ${student.id}`);

  // Longitudinal pairings
  const pairings: DemoSchool['pairings'] = [];
  const mentors = faculty.filter((f) => f.spec.longitudinal);
  const namedMentor = slot('mentor:named');
  const mentorAssessor = slot('attending:IM-A');
  const mentorOf = new Map<string, Faculty>();
  const mentees = new Map<string, Student[]>(mentors.map((m) => [m.id, []]));
  const pair = (mentor: Faculty, student: Student) => {
    if (assesses(mentor, student)) throw new Error(`Demo seed: ${mentor.email} assesses ${student.email}`);
    if (mentorOf.has(student.id)) throw new Error(`Demo seed: ${student.email} paired twice`);
    mentorOf.set(student.id, mentor);
    must(mentees.get(mentor.id), mentor.email).push(student);
  };

  // Re-matches: three third-years whose former mentor the new clerkship schedule made their assessor.
  const rematched: { student: Student; former: Faculty; because: string }[] = [];
  const psychDirector = slot('clerkship:PSYCH');
  const imATracks = must(ATTENDING_TRACKS['attending:IM-A'], 'IM-A tracks').tracks;
  const thirdYears = rng.shuffle(classOf(3).filter((s) => s !== demoStudent));
  for (const student of thirdYears.filter((s) => imATracks.includes(s.track ?? -1)).slice(0, 2)) {
    rematched.push({ student, former: mentorAssessor, because: 'Internal Medicine clerkship ward attending' });
  }
  const psychCase = must(
    thirdYears.find((s) => !rematched.some((r) => r.student === s)),
    'a third-year to re-match',
  );
  rematched.push({ student: psychCase, former: psychDirector, because: 'Psychiatry clerkship director' });

  // Who stays unmatched (about 10%).
  const unmatched = new Set<Student>([unmatchedStudent]);
  for (const year of YEARS) {
    const candidates = rng.shuffle(
      classOf(year).filter(
        (s) => s !== demoStudent && s !== unmatchedStudent && !rematched.some((r) => r.student === s),
      ),
    );
    for (const s of candidates) {
      if ([...unmatched].filter((u) => u.year === year).length >= UNMATCHED_PER_CLASS[year]) break;
      unmatched.add(s);
    }
  }
  const toMatch = students.filter((s) => !unmatched.has(s));

  // Each mentor takes 4 to 7 mentees; the targets add up to exactly the students to match.
  const target = new Map<string, number>(mentors.map((m) => [m.id, rng.int(4, 7)]));
  const fixedTargets = new Map([
    [namedMentor.id, 5],
    [mentorAssessor.id, 6],
  ]);
  for (const [id, n] of fixedTargets) target.set(id, n);
  const adjustable = mentors.filter((m) => !fixedTargets.has(m.id));
  const minTotal = 4 * adjustable.length + [...fixedTargets.values()].reduce((a, b) => a + b, 0);
  const maxTotal = minTotal + 3 * adjustable.length;
  if (toMatch.length < minTotal || toMatch.length > maxTotal) {
    throw new Error(`Demo seed: ${mentors.length} mentors cannot take ${toMatch.length} mentees`);
  }
  let total = [...target.values()].reduce((a, b) => a + b, 0);
  while (total !== toMatch.length) {
    const m = rng.pick(adjustable);
    const n = must(target.get(m.id), 'target');
    const step = total > toMatch.length ? -1 : 1;
    if (n + step < 4 || n + step > 7) continue;
    target.set(m.id, n + step);
    total += step;
  }
  const remaining = (m: Faculty) => must(target.get(m.id), 'target') - must(mentees.get(m.id), 'mentees').length;

  // The named mentors' mentees, chosen so the demo tells its story.
  const takeFrom = (year: YearOfStudy, count: number, mentor: Faculty, extra: (s: Student) => boolean = () => true) => {
    const chosen = rng
      .shuffle(toMatch.filter((s) => s.year === year && !mentorOf.has(s.id) && s !== demoStudent && extra(s)))
      .filter((s) => !assesses(mentor, s) && !rematched.some((r) => r.student === s))
      .slice(0, count);
    if (chosen.length < count) throw new Error(`Demo seed: not enough year-${year} students for ${mentor.email}`);
    for (const s of chosen) pair(mentor, s);
  };
  pair(namedMentor, demoStudent);
  takeFrom(1, 1, namedMentor);
  takeFrom(2, 1, namedMentor);
  takeFrom(3, 1, namedMentor);
  takeFrom(4, 1, namedMentor);
  // Dr. Haddad mentors third-years on the tracks she does not attend, and students in other classes.
  takeFrom(3, 2, mentorAssessor, (s) => !imATracks.includes(s.track ?? -1));
  takeFrom(1, 1, mentorAssessor);
  takeFrom(2, 2, mentorAssessor);
  takeFrom(4, 1, mentorAssessor);

  // Everyone else: the most constrained students first, each to the eligible mentor with the most room.
  const conflictCount = new Map(toMatch.map((s) => [s.id, mentors.filter((m) => assesses(m, s)).length]));
  const queue = rng
    .shuffle(toMatch.filter((s) => !mentorOf.has(s.id)))
    .sort((a, b) => must(conflictCount.get(b.id), 'count') - must(conflictCount.get(a.id), 'count'));
  for (const student of queue) {
    const eligible = mentors.filter((m) => remaining(m) > 0 && !assesses(m, student));
    if (eligible.length === 0) throw new Error(`Demo seed: no eligible mentor left for ${student.email}`);
    const most = Math.max(...eligible.map(remaining));
    pair(rng.pick(eligible.filter((m) => remaining(m) === most)), student);
  }
  for (const m of mentors) {
    const n = must(mentees.get(m.id), 'mentees').length;
    if (n < 4 || n > 7) throw new Error(`Demo seed: ${m.email} has ${n} mentees`);
  }

  const thisYearsMatch = isoDate(academicYear, 8, 15);
  for (const student of toMatch) {
    const mentor = must(mentorOf.get(student.id), `mentor of ${student.email}`);
    const rematch = rematched.find((r) => r.student === student);
    // Most pairs date from matriculation; some were matched or re-matched this year.
    const starts = rematch
      ? yearStart
      : notAfterToday(student.year === 1 || rng.chance(0.12) ? thisYearsMatch : matriculation(student.year));
    pairings.push({
      program_id: longitudinalId,
      student_id: student.id,
      mentor_id: mentor.id,
      kind: 'general',
      status: 'active',
      starts_on: starts,
      created_by: director.id,
      created_at: nowIso,
    });
  }
  for (const { student, former, because } of rematched) {
    pairings.push({
      program_id: longitudinalId,
      student_id: student.id,
      mentor_id: former.id,
      kind: 'general',
      status: 'ended',
      starts_on: matriculation(student.year),
      ends_on: isoDate(academicYear, 6, 30),
      ended_at: `${isoDate(academicYear, 6, 30)}T16:00:00.000Z`,
      ended_by: director.id,
      end_reason: `Firewall: the ${academicYear}-${academicYear + 1} clerkship schedule made this mentor the student's assessor (${because}); student re-matched`,
      created_by: director.id,
      created_at: nowIso,
    });
  }

  // Career advising: a few seniors with an advisor who neither assesses them nor is their longitudinal mentor.
  const careerAdvisors = [
    ...rng.shuffle(faculty.filter((f) => f.spec.slot.startsWith('mentor:') && f !== namedMentor)).slice(0, 7),
    slot('course:CPR'),
  ];
  const careerLoad = new Map<string, number>(careerAdvisors.map((a) => [a.id, 0]));
  const seniors = rng.shuffle(students.filter((s) => s.year >= 3 && s !== demoStudent)).slice(0, CAREER_PAIRINGS);
  for (const student of seniors) {
    const eligible = careerAdvisors.filter(
      (a) => must(careerLoad.get(a.id), 'load') < 2 && !assesses(a, student) && mentorOf.get(student.id) !== a,
    );
    if (eligible.length === 0) continue;
    const least = Math.min(...eligible.map((a) => must(careerLoad.get(a.id), 'load')));
    const advisor = rng.pick(eligible.filter((a) => careerLoad.get(a.id) === least));
    careerLoad.set(advisor.id, least + 1);
    pairings.push({
      program_id: careerId,
      student_id: student.id,
      mentor_id: advisor.id,
      kind: 'career',
      status: 'active',
      starts_on: notAfterToday(isoDate(graduationYear(student.year) - 2, 8, 1)),
      created_by: director.id,
      created_at: nowIso,
    });
  }

  // The firewall, checked once more over the finished rows.
  for (const p of pairings) {
    if (p.status === 'active' && conflicts.has(`${p.mentor_id} ${p.student_id}`)) {
      throw new Error('Demo seed: an active pairing breaks the firewall');
    }
  }
  const activelyPaired = (student: Person, mentor: Person) =>
    pairings.some((p) => p.status === 'active' && p.student_id === student.id && p.mentor_id === mentor.id);

  // Program exclusions: pairs the director must never make, for two students still waiting for a mentor.
  const exclusion = (student: Student, mentor: Faculty, reason: string): DemoSchool['programExclusions'][number] => {
    if (activelyPaired(student, mentor)) throw new Error(`Demo seed: ${student.email} is paired with ${mentor.email}`);
    return {
      program_id: longitudinalId,
      student_id: student.id,
      mentor_id: mentor.id,
      reason,
      created_by: director.id,
      created_at: nowIso,
    };
  };
  const unmatchedSecondYear = must(
    classOf(2).find((s) => unmatched.has(s)),
    'an unmatched second-year',
  );
  const programExclusions: DemoSchool['programExclusions'] = [
    exclusion(unmatchedStudent, slot('mentor:4'), 'Family relationship declared by the mentor'),
    exclusion(
      unmatchedSecondYear,
      slot('mentor:12'),
      'Named prior relationship: research supervisor (summer research program after the first year)',
    ),
  ];

  // The open conflict: a schedule change makes one student's current mentor, an internist who has
  // never assessed them, their ward attending for an Internal Medicine block still to come: a
  // third-year's (preferably on a track with no IM ward attending yet) or, late in the year when
  // every third-year's IM block has begun, a rising third-year's first block of next year.
  const internists = new Set(
    mentors.filter(
      (m) => m.spec.slot.startsWith('mentor:') && m !== namedMentor && m.spec.department === 'Internal Medicine',
    ),
  );
  const eligibleForChange = (s: Student) => {
    const mentor = mentorOf.get(s.id);
    return (
      mentor !== undefined && internists.has(mentor) && s !== demoStudent && !rematched.some((r) => r.student === s)
    );
  };
  const hasImAttending = (s: Student) =>
    Object.values(ATTENDING_TRACKS).some((c) => c.clerkship === 'IM' && c.tracks.includes(s.track ?? -1));
  const upcoming = classOf(3)
    .filter(eligibleForChange)
    .map((student) => ({
      student,
      window: must(
        must(clerkshipWindows.get(student), 'windows').find((w) => w.clerkship === CLERKSHIPS.IM),
        'IM window',
      ),
    }))
    .filter(({ window }) => window.starts > today.iso)
    .sort(
      (a, b) =>
        Number(hasImAttending(a.student)) - Number(hasImAttending(b.student)) ||
        a.window.starts.localeCompare(b.window.starts) ||
        must(a.student.externalId ?? undefined, 'id').localeCompare(must(b.student.externalId ?? undefined, 'id')),
    )[0];
  const nextYearsFirstBlock = firstMondayOnOrAfter(isoDate(academicYear + 1, 7, 1));
  const changed = upcoming
    ? { ...upcoming, scheduleYear: academicYear }
    : {
        student: must(classOf(2).find(eligibleForChange), 'a student for the schedule change'),
        window: { starts: nextYearsFirstBlock, ends: addDays(nextYearsFirstBlock, 53) },
        scheduleYear: academicYear + 1,
      };
  const changedMentor = must(mentorOf.get(changed.student.id), 'mentor');
  const scheduleChange: DemoSchool['scheduleChange'] = {
    id: newId(),
    institution_id: institutionId,
    assessor_id: changedMentor.id,
    student_id: changed.student.id,
    kind: 'rotation',
    context: 'Internal Medicine clerkship — ward attending (schedule change)',
    starts_on: changed.window.starts,
    ends_on: changed.window.ends,
    external_id: `ROT-${changed.scheduleYear}-IM-${changed.student.externalId}-ATT-CHG`,
    source: 'import',
    created_by: admin.id,
    created_at: nowIso,
  };
  if (conflicts.has(`${changedMentor.id} ${changed.student.id}`)) {
    throw new Error('Demo seed: the schedule change must be news to the pair');
  }

  // Users, students, faculty, role grants
  const userRow = (p: Person): Insertable<DB['users']> => ({
    id: p.id,
    institution_id: institutionId,
    email: p.email,
    given_name: p.given,
    family_name: p.family,
    preferred_name: p.preferred,
    pronouns: p.pronouns,
    external_id: p.externalId,
    status: 'active',
    password_hash: options.passwordHash,
    password_changed_at: nowIso,
    created_at: nowIso,
    updated_at: nowIso,
  });
  const users = [admin, ...faculty, ...students].map(userRow);
  const grant = (user: Person, role: Role, programId: string | null = null): Insertable<DB['role_grants']> => ({
    user_id: user.id,
    role,
    program_id: programId,
    created_at: nowIso,
  });
  const roleGrants: DemoSchool['roleGrants'] = [
    grant(admin, 'admin'),
    grant(director, 'director', longitudinalId),
    grant(director, 'director', careerId),
    grant(slot('dean'), 'dean'),
    ...faculty.filter((f) => f.spec.assessor || f === changedMentor).map((f) => grant(f, 'assessor')),
    ...mentors.map((m) => grant(m, 'mentor', longitudinalId)),
    ...careerAdvisors.map((a) => grant(a, 'mentor', careerId)),
    ...students.map((s) => grant(s, 'student')),
  ];

  return {
    institution,
    phases,
    cohorts,
    programs,
    programCohorts,
    users,
    students: students.map((s) => ({
      user_id: s.id,
      institution_id: institutionId,
      cohort_id: s.cohortId,
      phase_id: phaseOf(s.year),
      campus: s.campus,
    })),
    faculty: faculty.map((f) => ({
      user_id: f.id,
      institution_id: institutionId,
      department: f.spec.department,
      title: must(f.spec.title, 'title'),
      campus: f.campus,
    })),
    roleGrants,
    institutionSettings: { institution_id: institutionId, mentor_assessment_mode: 'refuse' },
    courses,
    courseEnrollments,
    assessments,
    programExclusions,
    pairings,
    scheduleChange,
  };
}

// ---------------------------------------------------------------------------------------------
// Writing it

function chunks<T>(rows: readonly T[], size = 250): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

async function demoInstitutionExists(db: Kysely<DB>): Promise<boolean> {
  const row = await db
    .selectFrom('institutions')
    .select('id')
    .where('slug', '=', DEMO_INSTITUTION_SLUG)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Active pairings in the institution whose mentor assesses the student (as the database function
 * `assessing_relationships` defines it: directly, through the cohort or through a course) and that
 * are not waiting in the conflict queue. Zero in a healthy school.
 */
export async function countFirewallBreaches(db: Kysely<DB>, institutionId: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n
    from pairings p
    join programs pr on pr.id = p.program_id
    where pr.institution_id = ${institutionId}
      and p.status = 'active'
      and exists (select 1 from assessing_relationships(p.mentor_id, p.student_id))
      and not exists (select 1 from pairing_conflicts c where c.pairing_id = p.id and c.status = 'open')`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/**
 * Creates the demo school unless it exists. One transaction: a crash leaves nothing behind, and
 * two seeders racing on PostgreSQL create it once (the loser's institution insert does nothing).
 * The pairings go in after the schedule, so the database's firewall trigger checks every one;
 * the schedule change goes in last, so the database flags its pair into the conflict queue.
 */
export async function seedDemo(ctx: Pick<AppContext, 'db' | 'clock'>): Promise<DemoSeedResult> {
  const logins = demoLogins();
  if (await demoInstitutionExists(ctx.db)) return { created: false, logins };

  // One hash for every demo account: argon2 is deliberately slow.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const school = buildDemoSchool({ now: ctx.clock.now(), passwordHash });

  const created = await ctx.db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('institutions')
      .values(school.institution)
      .onConflict((oc) => oc.column('slug').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) return false;

    await trx.insertInto('institution_settings').values(school.institutionSettings).execute();
    await trx.insertInto('phases').values(school.phases).execute();
    await trx.insertInto('cohorts').values(school.cohorts).execute();
    await trx.insertInto('programs').values(school.programs).execute();
    await trx.insertInto('program_cohorts').values(school.programCohorts).execute();
    for (const rows of chunks(school.users)) await trx.insertInto('users').values(rows).execute();
    for (const rows of chunks(school.students)) await trx.insertInto('students').values(rows).execute();
    for (const rows of chunks(school.faculty)) await trx.insertInto('faculty').values(rows).execute();
    for (const rows of chunks(school.roleGrants)) await trx.insertInto('role_grants').values(rows).execute();
    await trx.insertInto('courses').values(school.courses).execute();
    for (const rows of chunks(school.courseEnrollments)) {
      await trx.insertInto('course_enrollments').values(rows).execute();
    }
    for (const rows of chunks(school.assessments)) {
      await trx.insertInto('assessment_relationships').values(rows).execute();
    }
    await trx.insertInto('program_exclusions').values(school.programExclusions).execute();
    // Mentors' training and agreements first: the database refuses a pairing with a mentor who is not ready.
    await seedDemoReadiness(trx, school, ctx.clock.now());
    for (const rows of chunks(school.pairings)) await trx.insertInto('pairings').values(rows).execute();

    // The schedule change: the database puts the pair it affects into the conflict queue.
    const change = school.scheduleChange;
    await trx.insertInto('assessment_relationships').values(change).execute();
    const flagged = await trx
      .selectFrom('pairing_conflicts as c')
      .innerJoin('pairings as p', 'p.id', 'c.pairing_id')
      .where('c.assessment_relationship_id', '=', change.id)
      .where('c.status', '=', 'open')
      .select(['p.mentor_id', 'p.student_id', 'p.status'])
      .execute();
    const [conflict] = flagged;
    if (
      flagged.length !== 1 ||
      conflict?.mentor_id !== change.assessor_id ||
      conflict.student_id !== change.student_id ||
      conflict.status !== 'active'
    ) {
      throw new Error(`Demo seed: the schedule change flagged ${flagged.length} pairings, expected its one pair`);
    }

    const breaches = await countFirewallBreaches(trx, school.institution.id);
    if (breaches > 0) throw new Error(`Demo seed: ${breaches} pairings break the firewall`);
    await seedDemoCareerReadiness(trx, school, ctx.clock.now());
    await seedDemoMentoring(trx, school, ctx.clock.now());
    await seedDemoMatching(trx, school, ctx.clock.now());
    await seedDemoRecords(trx, school, ctx.clock.now());
    await seedDemoEarlyWarning(trx, school, ctx.clock.now());
    await seedDemoPairingChanges(trx, school, ctx.clock.now());
    await seedDemoSafety(trx, school, ctx.clock.now());
    await seedDemoMessages(trx, school, ctx.clock.now());
    await seedDemoCompensation(trx, school, ctx.clock.now());
    return true;
  });
  return { created, logins };
}
