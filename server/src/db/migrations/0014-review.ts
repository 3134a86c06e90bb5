import { sql, type Kysely } from 'kysely';

/**
 * The mentor's review of records: a program's edits to the theme lexicon, and themes pinned to a
 * student's development goals.
 *
 * - `program_lexicons`: the program's edits over the default lexicon (common/themes.ts
 *   `LexiconEditsSchema`), stored as edits rather than a copy so later improvements to the default
 *   still reach the program. Checked with `mergeLexicon` before they are written.
 * - `theme_pins`: a theme of a student's narratives pinned to one of their development goals
 *   (made from the theme, or an existing one). One pin per student and theme: pinning again finds
 *   it, so a double click or a retried request makes no second goal.
 * - `theme_pin_sentences`: the sentences that supported the theme, kept by reference (record and
 *   offsets), never copied: the text stays under the record's consent, and a record removed by a
 *   rollback takes its references with it.
 */
const DOMAINS = `('patient_care', 'medical_knowledge', 'interpersonal_communication', 'professionalism',
  'practice_based_learning', 'systems_based_practice', 'personal_career')`;

const statements = [
  `create table program_lexicons (
     program_id uuid primary key references programs(id),
     edits jsonb not null check (jsonb_typeof(edits) = 'object'),
     updated_by uuid not null references users(id),
     updated_at timestamptz not null
   )`,

  `create table theme_pins (
     id uuid primary key default gen_random_uuid(),
     student_id uuid not null references students(user_id),
     pairing_id uuid not null references pairings(id),
     theme_key text not null check (theme_key ~ '^[a-z][a-z0-9-]{1,39}$'),
     domain text not null check (domain in ${DOMAINS}),
     goal_id uuid not null references development_goals(id),
     -- true when the pin made the goal, false when it was attached to a goal that was there.
     created_goal boolean not null,
     pinned_by uuid not null references users(id),
     pinned_at timestamptz not null
   )`,
  `create unique index theme_pins_student_theme_key on theme_pins (student_id, theme_key)`,
  `create index theme_pins_goal_idx on theme_pins (goal_id)`,

  `create table theme_pin_sentences (
     pin_id uuid not null references theme_pins(id) on delete cascade,
     record_id uuid not null references student_records(id) on delete cascade,
     sentence_start integer not null check (sentence_start >= 0),
     sentence_end integer not null,
     primary key (pin_id, record_id, sentence_start),
     check (sentence_end > sentence_start)
   )`,
  // A rollback deletes records: each delete finds its references by this index, not by a scan.
  `create index theme_pin_sentences_record_idx on theme_pin_sentences (record_id)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
