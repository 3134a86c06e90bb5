import { sql, type Kysely } from 'kysely';

/**
 * An explicit "covers the development plan" flag on agenda topics, copied to each meeting's
 * agenda, so compliance no longer guesses a plan review from a topic's title. Existing topics
 * and items whose titles name the plan or its goals keep counting.
 */
const statements = [
  `alter table agenda_topics add column covers_plan boolean not null default false`,
  `alter table meeting_agenda_items add column covers_plan boolean not null default false`,
  `update agenda_topics set covers_plan = true where title ilike '%plan%' or title ilike '%goal%'`,
  `update meeting_agenda_items set covers_plan = true
     where source = 'template' and (title ilike '%plan%' or title ilike '%goal%')`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
