import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';

/**
 * The facts of "what went beyond the mentor", read for one student: the notices directors got
 * about early-warning alerts, the firewall's conflict flags, and mentors' requests to end a
 * pairing. Queries only; the service puts them into words.
 */
export type Db = Kysely<DB> | Transaction<DB>;

const personName = (alias: string) =>
  sql<string>`coalesce(${sql.ref(`${alias}.preferred_name`)}, ${sql.ref(`${alias}.given_name`)}) || ' ' || ${sql.ref(`${alias}.family_name`)}`;

/**
 * Alerts about the student whose director notice went out, with the people it went to: the
 * notification rows the reminder job wrote under the alert's deterministic key.
 */
export function directorAlertNotices(db: Db, studentId: string) {
  return db
    .selectFrom('alerts as a')
    .innerJoin('programs as p', 'p.id', 'a.program_id')
    .leftJoin('notifications as n', (join) =>
      join
        .on('n.kind', '=', 'alert_waiting')
        .on('n.dedupe_key', '=', sql<string>`'alert-director-notice:' || a.id::text`),
    )
    .leftJoin('users as u', 'u.id', 'n.user_id')
    .select([
      'a.id',
      'a.state',
      'a.director_notified_at',
      'p.name as program_name',
      personName('u').as('recipient_name'),
    ])
    .where('a.student_id', '=', studentId)
    .where('a.director_notified_at', 'is not', null)
    .orderBy('a.director_notified_at', 'desc')
    .orderBy('u.family_name')
    .execute();
}

/** The firewall's conflict flags on any pairing of the student, with the program they went to. */
export function conflictFlags(db: Db, studentId: string) {
  return db
    .selectFrom('pairing_conflicts as c')
    .innerJoin('pairings as pr', 'pr.id', 'c.pairing_id')
    .innerJoin('programs as p', 'p.id', 'pr.program_id')
    .select(['c.id', 'c.reason', 'c.status', 'c.detected_at', 'pr.program_id', 'p.name as program_name'])
    .where('pr.student_id', '=', studentId)
    .orderBy('c.detected_at', 'desc')
    .execute();
}

/** Mentors' requests to end a pairing with the student (the reason stays with the director). */
export function mentorEndRequests(db: Db, studentId: string) {
  return db
    .selectFrom('pairing_change_requests as r')
    .innerJoin('programs as p', 'p.id', 'r.program_id')
    .innerJoin('users as m', 'm.id', 'r.mentor_id')
    .select([
      'r.id',
      'r.state',
      'r.created_at',
      'r.program_id',
      'p.name as program_name',
      personName('m').as('mentor_name'),
    ])
    .where('r.student_id', '=', studentId)
    .where('r.kind', '=', 'mentor')
    .orderBy('r.created_at', 'desc')
    .execute();
}

/** The directors of these programs, by name: who a program's conflict queue and change queue reach. */
export async function programDirectors(db: Db, programIds: readonly string[]) {
  if (programIds.length === 0) return [];
  return db
    .selectFrom('role_grants as g')
    .innerJoin('users as u', 'u.id', 'g.user_id')
    .select(['g.program_id', personName('u').as('name')])
    .where('g.role', '=', 'director')
    .where('g.program_id', 'in', [...programIds])
    .where('u.status', '=', 'active')
    .orderBy('u.family_name')
    .orderBy('u.given_name')
    .execute();
}
