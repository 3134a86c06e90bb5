import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';

export type Db = Kysely<DB> | Transaction<DB>;

/** One requirement as the database function `mentor_readiness_items` judges it for one mentor. */
export interface ReadinessItemRow {
  mentor_id: string;
  requirement_id: string;
  name: string;
  kind: 'training' | 'agreement';
  required: boolean;
  status: 'ready' | 'expired' | 'outdated' | 'missing';
  completed_on: string | null;
  expires_on: string | null;
  signed_version: number | null;
  description: string;
}

/** Every requirement of the program, judged for each of the mentors at the instant `at`. */
export async function readinessItems(
  db: Db,
  programId: string,
  mentorIds: readonly string[],
  at: Date,
): Promise<ReadinessItemRow[]> {
  if (mentorIds.length === 0) return [];
  const { rows } = await sql<ReadinessItemRow>`
    select m.id as mentor_id, i.*
    from unnest(array[${sql.join([...new Set(mentorIds)])}]::uuid[]) as m(id)
    cross join lateral mentor_readiness_items(${programId}, m.id, ${at}) i
    order by m.id, i.kind desc, i.name`.execute(db);
  return rows;
}

/** Does the program require anything of its mentors? Without a required item every mentor is ready. */
export async function programHasRequirements(db: Db, programId: string): Promise<boolean> {
  const row = await db
    .selectFrom('readiness_requirements')
    .select('id')
    .where('program_id', '=', programId)
    .where('required', '=', true)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function localDate(db: Db, programId: string, at: Date): Promise<string> {
  const { rows } = await sql<{ d: string }>`select program_local_date(${programId}, ${at})::text as d`.execute(db);
  return rows[0]!.d;
}

export function listRequirements(db: Db, programId: string) {
  return db
    .selectFrom('readiness_requirements')
    .selectAll()
    .where('program_id', '=', programId)
    .orderBy('kind', 'desc')
    .orderBy('name')
    .execute();
}

export function findRequirement(db: Db, programId: string, requirementId: string) {
  return db
    .selectFrom('readiness_requirements')
    .selectAll()
    .where('program_id', '=', programId)
    .where('id', '=', requirementId)
    .executeTakeFirst();
}

export function findAgreement(db: Db, programId: string) {
  return db
    .selectFrom('readiness_requirements')
    .selectAll()
    .where('program_id', '=', programId)
    .where('kind', '=', 'agreement')
    .executeTakeFirst();
}

export async function insertRequirement(
  db: Db,
  values: {
    programId: string;
    kind: 'training' | 'agreement';
    name: string;
    required: boolean;
    validityMonths: number | null;
    agreementText: string | null;
    createdBy: string | null;
    now: Date;
  },
) {
  return db
    .insertInto('readiness_requirements')
    .values({
      program_id: values.programId,
      kind: values.kind,
      name: values.name,
      required: values.required,
      validity_months: values.validityMonths,
      agreement_text: values.agreementText,
      agreement_version: values.kind === 'agreement' ? 1 : null,
      created_by: values.createdBy,
      created_at: values.now,
      updated_at: values.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function updateRequirement(
  db: Db,
  requirementId: string,
  values: {
    name: string;
    required: boolean;
    validityMonths: number | null;
    agreementText: string | null;
    agreementVersion: number | null;
    now: Date;
  },
) {
  await db
    .updateTable('readiness_requirements')
    .set({
      name: values.name,
      required: values.required,
      validity_months: values.validityMonths,
      agreement_text: values.agreementText,
      agreement_version: values.agreementVersion,
      updated_at: values.now,
    })
    .where('id', '=', requirementId)
    .execute();
}

/** The program's mentors (active accounts with the mentor role in it), with their active mentee count. */
export function programMentors(db: Db, programId: string) {
  return db
    .selectFrom('role_grants as g')
    .innerJoin('users as u', 'u.id', 'g.user_id')
    .select([
      'u.id',
      'u.email',
      sql<string>`coalesce(u.preferred_name, u.given_name) || ' ' || u.family_name`.as('name'),
      'u.family_name',
      sql<number>`(select count(*) from pairings p
         where p.program_id = ${programId} and p.mentor_id = u.id and p.status = 'active')::int`.as('active_mentees'),
    ])
    .where('g.program_id', '=', programId)
    .where('g.role', '=', 'mentor')
    .where('u.status', '=', 'active')
    .orderBy('u.family_name')
    .orderBy('u.given_name')
    .orderBy('u.id')
    .execute();
}

export function mentorNames(db: Db, mentorIds: readonly string[]) {
  if (mentorIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('users')
    .select(['id', sql<string>`coalesce(preferred_name, given_name) || ' ' || family_name`.as('name')])
    .where('id', 'in', [...mentorIds])
    .execute();
}

/** The programs the user mentors in, with their institution. */
export function programsMentoredBy(db: Db, userId: string) {
  return db
    .selectFrom('role_grants as g')
    .innerJoin('programs as p', 'p.id', 'g.program_id')
    .select(['p.id', 'p.name'])
    .where('g.user_id', '=', userId)
    .where('g.role', '=', 'mentor')
    .orderBy('p.name')
    .execute();
}

/** Mentors of the program among these emails (lower-cased), keyed by email. */
export function programMentorsByEmail(db: Db, programId: string, emails: readonly string[]) {
  if (emails.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('role_grants as g')
    .innerJoin('users as u', 'u.id', 'g.user_id')
    .select(['u.id', 'u.email'])
    .where('g.program_id', '=', programId)
    .where('g.role', '=', 'mentor')
    .where(sql<string>`lower(u.email)`, 'in', [...emails])
    .execute();
}

export function isProgramMentor(db: Db, programId: string, userId: string) {
  return db
    .selectFrom('role_grants')
    .select('user_id')
    .where('program_id', '=', programId)
    .where('role', '=', 'mentor')
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export interface CompletionValues {
  requirementId: string;
  mentorId: string;
  completedOn: string;
  expiresOn: string | null;
  agreementVersion: number | null;
  source: 'import' | 'director' | 'signed';
  recordedBy: string | null;
  now: Date;
}

/**
 * Records a completion once: the same mentor, item, day (and agreement version) again finds the
 * row already there, and only a different explicit expiry changes it.
 */
export async function upsertCompletion(db: Db, values: CompletionValues): Promise<'created' | 'updated' | 'unchanged'> {
  const inserted = await db
    .insertInto('readiness_completions')
    .values({
      requirement_id: values.requirementId,
      mentor_id: values.mentorId,
      completed_on: values.completedOn,
      expires_on: values.expiresOn,
      agreement_version: values.agreementVersion,
      source: values.source,
      recorded_by: values.recordedBy,
      recorded_at: values.now,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return 'created';
  const existing = await db
    .selectFrom('readiness_completions')
    .select(['id', 'expires_on'])
    .where('requirement_id', '=', values.requirementId)
    .where('mentor_id', '=', values.mentorId)
    .where('completed_on', '=', values.completedOn)
    .where(sql<number>`coalesce(agreement_version, 0)`, '=', values.agreementVersion ?? 0)
    .executeTakeFirstOrThrow();
  if (existing.expires_on === values.expiresOn) return 'unchanged';
  await db
    .updateTable('readiness_completions')
    .set({ expires_on: values.expiresOn, recorded_by: values.recordedBy, recorded_at: values.now })
    .where('id', '=', existing.id)
    .execute();
  return 'updated';
}

/** The existing completions for these keys, for a dry run that reports what an import would do. */
export function completionsOf(db: Db, requirementIds: readonly string[], mentorIds: readonly string[]) {
  if (requirementIds.length === 0 || mentorIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('readiness_completions')
    .select(['requirement_id', 'mentor_id', 'completed_on', 'expires_on', 'agreement_version'])
    .where('requirement_id', 'in', [...requirementIds])
    .where('mentor_id', 'in', [...mentorIds])
    .execute();
}

/** Every mentor (active account, mentor role) in every program with required items, with their items at `at`. */
export type ReminderRow = ReadinessItemRow & {
  program_id: string;
  program_name: string;
  current_version: number | null;
};

export async function itemsOfAllMentors(db: Db, at: Date): Promise<ReminderRow[]> {
  const { rows } = await sql<ReminderRow>`
    select g.program_id, p.name as program_name, g.user_id as mentor_id, i.*, r.agreement_version as current_version
    from role_grants g
    join users u on u.id = g.user_id and u.status = 'active'
    join programs p on p.id = g.program_id
    cross join lateral mentor_readiness_items(g.program_id, g.user_id, ${at}) i
    join readiness_requirements r on r.id = i.requirement_id
    where g.role = 'mentor'
      and exists (select 1 from readiness_requirements r where r.program_id = g.program_id and r.required)
    order by g.program_id, g.user_id`.execute(db);
  return rows;
}
