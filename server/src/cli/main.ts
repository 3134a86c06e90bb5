import { parseArgs } from 'node:util';
import { loadConfig, ConfigError } from '../config.ts';
import { runCommand, USAGE } from './commands.ts';

/** `medmentor <command>`: parse the configuration once, then hand over to the command. */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    console.log(USAGE);
    return command ? 0 : 1;
  }
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      'dry-run': { type: 'boolean', default: false },
      'build-web-if-missing': { type: 'boolean', default: false },
      institution: { type: 'string' },
      source: { type: 'string' },
      sent: { type: 'boolean', default: false },
      resend: { type: 'boolean', default: false },
      from: { type: 'string' },
      to: { type: 'string' },
      mode: { type: 'string' },
    },
  });
  return runCommand(command, positionals, values, config);
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0 || process.argv[2] !== 'serve') process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
