/**
 * Queries of roster import and export: many people at a time, in batches. The people tables
 * (users, students, faculty, role_grants) are shared with the tenancy module, which edits one
 * person at a time; institution lookups (cohorts, phases, programs) go through tenancy's repository.
 */
import type { Kysely } from 'kysely';
import type { DB, Role } from '../../db/schema.ts';
import { listCohorts, listPhases, listProgramSlugs } from '../tenancy/tenancy.repository.ts';
import type { RosterKind, RosterReference } from './roster.csv.ts';
import type { ExistingPerson, ExistingRoster, PlannedRow } from './roster.plan.ts';

type Db = Kysely<DB>;

/** Rows per statement: well under PostgreSQL's 65,535 bind parameters at ten columns a row. */
const BATCH = 500;

function* chunks<T>(items: readonly T[], size = BATCH): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/** The institution's cohorts by graduation year, phases by key and programs by slug. */
export async function loadReference(db: Db, institutionId: string): Promise<RosterReference> {
  const [cohorts, phases, programs] = await Promise.all([
    listCohorts(db, institutionId),
    listPhases(db, institutionId),
    listProgramSlugs(db, institutionId),
  ]);
  return {
    cohortsByYear: new Map(cohorts.map((cohort) => [cohort.graduation_year, cohort.id])),
    phasesByKey: new Map(phases.map((phase) => [phase.key, phase.id])),
    programsBySlug: new Map(programs.map((program) => [program.slug, program.id])),
  };
}

/**
 * The people a file may refer to: those of the institution with one of the file's emails or
 * external ids, and the file's emails that belong to other institutions.
 */
export async function loadExisting(
  db: Db,
  institutionId: string,
  emails: readonly string[],
  externalIds: readonly string[],
): Promise<ExistingRoster> {
  const people = new Map<string, ExistingPerson>();
  const foreignEmails = new Set<string>();
  const select = () =>
    db
      .selectFrom('users as u')
      .leftJoin('students as s', 's.user_id', 'u.id')
      .leftJoin('faculty as f', 'f.user_id', 'u.id')
      .select([
        'u.id',
        'u.institution_id',
        'u.email',
        'u.external_id',
        'u.given_name',
        'u.family_name',
        'u.preferred_name',
        'u.pronouns',
        's.cohort_id',
        's.phase_id',
        's.campus as student_campus',
        'f.user_id as faculty_user_id',
        'f.department',
        'f.title',
        'f.campus as faculty_campus',
      ]);
  const batches = [
    ...[...chunks(emails)].map((batch) => select().where('u.email', 'in', batch)),
    ...[...chunks(externalIds)].map((batch) =>
      select().where('u.institution_id', '=', institutionId).where('u.external_id', 'in', batch),
    ),
  ];
  for (const query of batches) {
    for (const row of await query.execute()) {
      if (row.institution_id !== institutionId) {
        foreignEmails.add(row.email);
        continue;
      }
      people.set(row.id, {
        id: row.id,
        email: row.email,
        externalId: row.external_id,
        givenName: row.given_name,
        familyName: row.family_name,
        preferredName: row.preferred_name,
        pronouns: row.pronouns,
        student:
          row.cohort_id !== null
            ? { cohortId: row.cohort_id, phaseId: row.phase_id, campus: row.student_campus }
            : null,
        faculty:
          row.faculty_user_id !== null
            ? { department: row.department, title: row.title, campus: row.faculty_campus }
            : null,
        grants: [],
      });
    }
  }
  for (const batch of chunks([...people.keys()])) {
    const grants = await db
      .selectFrom('role_grants')
      .select(['id', 'user_id', 'role', 'program_id'])
      .where('user_id', 'in', batch)
      .execute();
    for (const grant of grants) {
      people.get(grant.user_id)!.grants.push({ id: grant.id, role: grant.role, programId: grant.program_id });
    }
  }
  return { people: [...people.values()], foreignEmails };
}

/**
 * Writes a plan: creates users, updates the changed ones, writes their student or faculty
 * rows and role grants. Run inside the import's transaction.
 */
export async function applyPlan(db: Db, institutionId: string, rows: readonly PlannedRow[], now: Date): Promise<void> {
  const userIds = new Map<PlannedRow, string>();

  for (const batch of chunks(rows.filter((row) => row.action === 'create'))) {
    const created = await db
      .insertInto('users')
      .values(
        batch.map((row) => ({
          institution_id: institutionId,
          email: row.user.email,
          given_name: row.user.givenName,
          family_name: row.user.familyName,
          preferred_name: row.user.preferredName,
          pronouns: row.user.pronouns,
          external_id: row.user.externalId,
          created_at: now,
          updated_at: now,
        })),
      )
      .returning(['id', 'email'])
      .execute();
    const idByEmail = new Map(created.map((user) => [user.email, user.id]));
    for (const row of batch) userIds.set(row, idByEmail.get(row.user.email)!);
  }
  for (const row of rows) if (row.userId !== null) userIds.set(row, row.userId);

  for (const batch of chunks(rows.filter((row) => row.action === 'update' && row.userChanged))) {
    await db
      .insertInto('users')
      .values(
        batch.map((row) => ({
          id: row.userId!,
          institution_id: institutionId,
          email: row.user.email,
          given_name: row.user.givenName,
          family_name: row.user.familyName,
          preferred_name: row.user.preferredName,
          pronouns: row.user.pronouns,
          external_id: row.user.externalId,
          updated_at: now,
        })),
      )
      .onConflict((oc) =>
        oc
          .column('id')
          .doUpdateSet((eb) => ({
            email: eb.ref('excluded.email'),
            given_name: eb.ref('excluded.given_name'),
            family_name: eb.ref('excluded.family_name'),
            preferred_name: eb.ref('excluded.preferred_name'),
            pronouns: eb.ref('excluded.pronouns'),
            external_id: eb.ref('excluded.external_id'),
            updated_at: eb.ref('excluded.updated_at'),
          }))
          // Belt and braces: an import never changes a person of another institution.
          .where('users.institution_id', '=', institutionId),
      )
      .execute();
  }

  const changedRecords = rows.filter((row) => row.action !== 'unchanged' && row.recordChanged);
  // cohort_id is set only for students whose cohort changes: an update naming that column fires the
  // firewall's trigger, which re-checks the student's pairings, and that work is wasted on everyone else.
  const students = changedRecords.filter((row) => row.student !== null);
  for (const moving of [true, false]) {
    for (const batch of chunks(students.filter((row) => row.cohortChanged === moving))) {
      await db
        .insertInto('students')
        .values(
          batch.map((row) => ({
            user_id: userIds.get(row)!,
            institution_id: institutionId,
            cohort_id: row.student!.cohortId,
            phase_id: row.student!.phaseId,
            campus: row.student!.campus,
          })),
        )
        .onConflict((oc) =>
          oc.column('user_id').doUpdateSet((eb) => ({
            ...(moving ? { cohort_id: eb.ref('excluded.cohort_id') } : {}),
            phase_id: eb.ref('excluded.phase_id'),
            campus: eb.ref('excluded.campus'),
          })),
        )
        .execute();
    }
  }
  for (const batch of chunks(changedRecords.filter((row) => row.faculty !== null))) {
    await db
      .insertInto('faculty')
      .values(
        batch.map((row) => ({
          user_id: userIds.get(row)!,
          institution_id: institutionId,
          department: row.faculty!.department,
          title: row.faculty!.title,
          campus: row.faculty!.campus,
        })),
      )
      .onConflict((oc) =>
        oc.column('user_id').doUpdateSet((eb) => ({
          department: eb.ref('excluded.department'),
          title: eb.ref('excluded.title'),
          campus: eb.ref('excluded.campus'),
        })),
      )
      .execute();
  }

  const grants = rows.flatMap((row) =>
    row.grantsToAdd.map((grant) => ({
      user_id: userIds.get(row)!,
      role: grant.role as Role,
      program_id: grant.programId,
      created_at: now,
    })),
  );
  for (const batch of chunks(grants)) {
    await db
      .insertInto('role_grants')
      .values(batch)
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  for (const batch of chunks(rows.flatMap((row) => row.grantIdsToRemove))) {
    await db.deleteFrom('role_grants').where('id', 'in', batch).execute();
  }
}

export async function insertRosterImport(
  db: Db,
  values: {
    institutionId: string;
    kind: RosterKind;
    fileName: string;
    rowCount: number;
    createdCount: number;
    updatedCount: number;
    importedBy: string | null;
    importedAt: Date;
  },
): Promise<string> {
  const row = await db
    .insertInto('roster_imports')
    .values({
      institution_id: values.institutionId,
      kind: values.kind,
      file_name: values.fileName,
      row_count: values.rowCount,
      created_count: values.createdCount,
      updated_count: values.updatedCount,
      imported_by: values.importedBy,
      imported_at: values.importedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Students of the institution (optionally one cohort) with their cohort year and phase key, in name order. */
export function listStudentsForExport(db: Db, institutionId: string, cohortId: string | undefined) {
  let query = db
    .selectFrom('students as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .innerJoin('cohorts as c', 'c.id', 's.cohort_id')
    .leftJoin('phases as ph', 'ph.id', 's.phase_id')
    .select([
      'u.external_id',
      'u.email',
      'u.given_name',
      'u.family_name',
      'u.preferred_name',
      'u.pronouns',
      'c.graduation_year',
      'ph.key as phase',
      's.campus',
    ])
    .where('s.institution_id', '=', institutionId);
  if (cohortId !== undefined) query = query.where('s.cohort_id', '=', cohortId);
  return query.orderBy('u.family_name').orderBy('u.given_name').orderBy('u.email').execute();
}

/** Faculty of the institution in name order, each with their role grants and the programs' slugs. */
export async function listFacultyForExport(db: Db, institutionId: string) {
  const people = await db
    .selectFrom('faculty as f')
    .innerJoin('users as u', 'u.id', 'f.user_id')
    .select([
      'u.id',
      'u.external_id',
      'u.email',
      'u.given_name',
      'u.family_name',
      'u.preferred_name',
      'u.pronouns',
      'f.department',
      'f.title',
      'f.campus',
    ])
    .where('f.institution_id', '=', institutionId)
    .orderBy('u.family_name')
    .orderBy('u.given_name')
    .orderBy('u.email')
    .execute();
  const grants = await db
    .selectFrom('role_grants as g')
    .innerJoin('faculty as f', 'f.user_id', 'g.user_id')
    .leftJoin('programs as p', 'p.id', 'g.program_id')
    .select(['g.user_id', 'g.role', 'p.slug as program_slug'])
    .where('f.institution_id', '=', institutionId)
    .execute();
  return { people, grants };
}

/** True when the cohort belongs to the institution. */
export async function cohortExists(db: Db, institutionId: string, cohortId: string): Promise<boolean> {
  const row = await db
    .selectFrom('cohorts')
    .select('id')
    .where('institution_id', '=', institutionId)
    .where('id', '=', cohortId)
    .executeTakeFirst();
  return row !== undefined;
}
