import { sql, type Kysely } from 'kysely';

/**
 * When a mentor is usually free to meet: weekly windows in the school's time zone. Students
 * propose meetings in the free times these leave once the mentor's other meetings are taken out.
 */
const statements = [
  `create table mentor_availability (
     id uuid primary key default gen_random_uuid(),
     mentor_id uuid not null references users(id) on delete cascade,
     weekday integer not null check (weekday between 1 and 7),
     starts_at time not null,
     ends_at time not null,
     location text check (location is null or length(location) <= 300),
     check (ends_at > starts_at)
   )`,
  `create index mentor_availability_mentor_idx on mentor_availability (mentor_id, weekday)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
