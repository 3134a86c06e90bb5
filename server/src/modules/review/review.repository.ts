/**
 * Queries of the review module's own tables: a program's lexicon edits and the themes pinned to
 * development goals. Records, meetings and goals are read through their modules' services.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { CompetencyDomain, DB } from '../../db/schema.ts';

export type Db = Kysely<DB> | Transaction<DB>;

const personName = sql<string>`coalesce(u.preferred_name, u.given_name) || ' ' || u.family_name`;

export function findProgramLexicon(db: Db, programId: string) {
  return db
    .selectFrom('program_lexicons as l')
    .innerJoin('users as u', 'u.id', 'l.updated_by')
    .select(['l.edits', 'l.updated_at', personName.as('updated_by_name')])
    .where('l.program_id', '=', programId)
    .executeTakeFirst();
}

export async function saveProgramLexicon(
  db: Db,
  row: { programId: string; edits: unknown; by: string; at: Date },
): Promise<void> {
  const edits = JSON.stringify(row.edits);
  await db
    .insertInto('program_lexicons')
    .values({ program_id: row.programId, edits, updated_by: row.by, updated_at: row.at })
    .onConflict((oc) => oc.column('program_id').doUpdateSet({ edits, updated_by: row.by, updated_at: row.at }))
    .execute();
}

/** A student's pins with the goal each is on; the goal's title is the plan's, shown beside the theme. */
export function listPins(db: Db, studentId: string) {
  return db
    .selectFrom('theme_pins as p')
    .innerJoin('users as u', 'u.id', 'p.pinned_by')
    .innerJoin('development_goals as g', 'g.id', 'p.goal_id')
    .select([
      'p.id',
      'p.theme_key',
      'p.goal_id',
      'p.pinned_at',
      'g.title as goal_title',
      personName.as('pinned_by_name'),
      (eb) =>
        eb
          .selectFrom('theme_pin_sentences as s')
          .select((x) => x.fn.countAll<string>().as('n'))
          .whereRef('s.pin_id', '=', 'p.id')
          .as('sentence_count'),
    ])
    .where('p.student_id', '=', studentId)
    .execute();
}

export type PinRow = Awaited<ReturnType<typeof listPins>>[number];

export async function findPin(db: Db, studentId: string, themeKey: string): Promise<PinRow | undefined> {
  return (await listPins(db, studentId)).find((p) => p.theme_key === themeKey);
}

/** Inserts the pin unless the student already has one for the theme; returns its id, or null when it was there. */
export async function insertPin(
  trx: Db,
  pin: {
    studentId: string;
    pairingId: string;
    themeKey: string;
    domain: CompetencyDomain;
    goalId: string;
    createdGoal: boolean;
    by: string;
    at: Date;
  },
): Promise<string | null> {
  const row = await trx
    .insertInto('theme_pins')
    .values({
      student_id: pin.studentId,
      pairing_id: pin.pairingId,
      theme_key: pin.themeKey,
      domain: pin.domain,
      goal_id: pin.goalId,
      created_goal: pin.createdGoal,
      pinned_by: pin.by,
      pinned_at: pin.at,
    })
    .onConflict((oc) => oc.columns(['student_id', 'theme_key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

/** Keeps references to the supporting sentences; one already kept is left as it is. */
export async function addPinSentences(
  trx: Db,
  pinId: string,
  sentences: readonly { recordId: string; start: number; end: number }[],
): Promise<void> {
  if (sentences.length === 0) return;
  await trx
    .insertInto('theme_pin_sentences')
    .values(
      sentences.map((s) => ({ pin_id: pinId, record_id: s.recordId, sentence_start: s.start, sentence_end: s.end })),
    )
    .onConflict((oc) => oc.columns(['pin_id', 'record_id', 'sentence_start']).doNothing())
    .execute();
}

/** Serialises pins of one student, so two at once cannot both make a goal for the same theme. */
export async function lockStudentPins(trx: Transaction<DB>, studentId: string): Promise<void> {
  await trx.selectFrom('students').select('user_id').where('user_id', '=', studentId).forUpdate().execute();
}

/** The pairing's student, program, mentor's name and the school's time zone (for the meeting's day). */
export function loadPairing(db: Db, pairingId: string) {
  return db
    .selectFrom('pairings')
    .innerJoin('users as u', 'u.id', 'pairings.mentor_id')
    .innerJoin('programs', 'programs.id', 'pairings.program_id')
    .innerJoin('institutions', 'institutions.id', 'programs.institution_id')
    .select(['pairings.student_id', 'pairings.program_id', 'institutions.time_zone', personName.as('mentor_name')])
    .where('pairings.id', '=', pairingId)
    .executeTakeFirstOrThrow();
}

export async function isGoalOfStudent(db: Db, goalId: string, studentId: string): Promise<boolean> {
  const goal = await db
    .selectFrom('development_goals')
    .select('id')
    .where('id', '=', goalId)
    .where('student_id', '=', studentId)
    .executeTakeFirst();
  return goal !== undefined;
}
