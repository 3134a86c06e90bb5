import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { systemClock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { AppContext } from '../context.ts';
import { createMailer } from '../mail/mailer.ts';
import { seedDemo } from '../modules/demo/seed-demo.ts';
import { openMigratedDatabase, startServer } from '../server.ts';
import { runDbCommand } from './db-move.ts';
import { importRecordsFromCli, importRosterFromCli } from './import-command.ts';
import { runMatchCommand } from './match-command.ts';
import { runOutboxCommand } from './outbox-command.ts';

export const USAGE = `medmentor — formalized, firewalled mentorship for medical schools

Usage:
  medmentor serve                         start the web server (migrates first; seeds the demo school on first start unless DEMO_SEED=off)
  medmentor migrate                       apply pending database migrations
  medmentor seed-demo                     create the demo school (does nothing if it exists) and print its logins
  medmentor import <students|faculty|assessments> <file.csv> --institution <slug> [--dry-run]
                                          import a roster or assessment relationships; every bad row is reported and
                                          nothing is written unless the whole file is valid
  medmentor import records <file.csv> --institution <slug> [--source <system>] [--dry-run]
                                          import performance records (grades, exams, narratives, professionalism,
                                          attendance) as one batch; all or nothing, idempotent by (source, external_id)
  medmentor match list --institution <slug>
                                          list the matching rounds of every program, with their ids and states
  medmentor match run <roundId> [--mode optimal|balanced|maximin|stable] --institution <slug>
                                          run a round (default: optimal) and print each proposed pair with its score
  medmentor match publish <roundId> --institution <slug>
                                          publish a round: its pairings are created in one transaction, people told
  medmentor outbox list-uncertain           list emails the relay may or may not have accepted
  medmentor outbox resolve <id> --sent|--resend
                                          settle one: the relay's log shows its Message-ID (--sent), or not (--resend)
  medmentor db move --from <dataDir> --to <postgres://…>
                                          copy the embedded database into an empty PostgreSQL database in one
                                          transaction (stop medmentor first); prints the SECRET_KEY to set

The database is PostgreSQL when DATABASE_URL is set, otherwise the embedded one in DATA_DIR (./data).`;

type Flags = {
  'dry-run'?: boolean;
  'build-web-if-missing'?: boolean;
  institution?: string;
  source?: string;
  sent?: boolean;
  resend?: boolean;
  from?: string;
  to?: string;
  mode?: string;
};

export async function runCommand(command: string, args: string[], flags: Flags, config: Config): Promise<number> {
  switch (command) {
    case 'serve': {
      const server = await startServer(config, { buildWeb: flags['build-web-if-missing'] ?? false });
      console.log(`medmentor is serving ${config.PUBLIC_URL} (database: ${server.ctx.engine})`);
      const stop = async () => {
        await server.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      return 0;
    }
    case 'migrate': {
      const database = await openMigratedDatabase(config);
      console.log(`Database is up to date (${database.engine}).`);
      await database.close();
      return 0;
    }
    case 'seed-demo':
      return withContext(config, async (ctx) => {
        const result = await seedDemo(ctx);
        console.log(
          result.created ? 'Created the demo school.' : 'The demo school already exists; nothing was changed.',
        );
        printLogins(result.logins);
        return 0;
      });
    case 'import': {
      const [kind, file] = args;
      if (kind === 'records') return importRecordsCommand(file, flags, config);
      if ((kind !== 'students' && kind !== 'faculty' && kind !== 'assessments') || !file) {
        console.error(
          'Usage: medmentor import <students|faculty|assessments> <file.csv> --institution <slug> [--dry-run]',
        );
        return 2;
      }
      return withContext(config, (ctx) =>
        importRosterFromCli(ctx, {
          kind,
          csv: readFileSync(file, 'utf8'),
          fileName: basename(file),
          institutionSlug: flags.institution,
          dryRun: flags['dry-run'] ?? false,
        }),
      );
    }
    case 'outbox': {
      const database = await openMigratedDatabase(config);
      try {
        return await runOutboxCommand({ db: database.db, clock: systemClock }, args, flags);
      } finally {
        await database.close();
      }
    }
    case 'db':
      return runDbCommand(args, flags, config);
    case 'match':
      return withContext(config, (ctx) => runMatchCommand(ctx, args, flags));
    default:
      console.error(`Unknown command "${command}".\n\n${USAGE}`);
      return 2;
  }
}

/** `medmentor import records`: the same all-or-nothing import as the API, as one batch. */
async function importRecordsCommand(file: string | undefined, flags: Flags, config: Config): Promise<number> {
  if (!file) {
    console.error('Usage: medmentor import records <file.csv> --institution <slug> [--source <system>] [--dry-run]');
    return 2;
  }
  return withContext(config, (ctx) =>
    importRecordsFromCli(ctx, {
      csv: readFileSync(file, 'utf8'),
      fileName: basename(file),
      institutionSlug: flags.institution,
      source: flags.source ?? 'file',
      dryRun: flags['dry-run'] ?? false,
    }),
  );
}

export function printLogins(logins: { role: string; email: string; description: string }[]): void {
  if (logins.length === 0) return;
  console.log('\nDemo logins (password for all: mentor-demo-2026):');
  for (const login of logins) console.log(`  ${login.role.padEnd(16)} ${login.email.padEnd(40)} ${login.description}`);
}

/** Runs a command against the migrated database with the app's context; closes both after. */
async function withContext(config: Config, run: (ctx: AppContext) => Promise<number>): Promise<number> {
  const database = await openMigratedDatabase(config);
  const ctx: AppContext = {
    db: database.db,
    engine: database.engine,
    config,
    clock: systemClock,
    mailer: createMailer(config),
  };
  try {
    return await run(ctx);
  } finally {
    ctx.mailer.close();
    await database.close();
  }
}
