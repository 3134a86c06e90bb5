import type { Kysely } from 'kysely';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { Engine } from './db/database.ts';
import type { DB } from './db/schema.ts';
import type { Mailer } from './mail/mailer.ts';

/** What every service is handed: the database, configuration, the clock and the outside world. */
export interface AppContext {
  db: Kysely<DB>;
  engine: Engine;
  config: Config;
  clock: Clock;
  mailer: Mailer;
}
