import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * Which reverse proxies may say who the client is (X-Forwarded-For) and whether the request came
 * over TLS (X-Forwarded-Proto): `false`, `true` (whatever connects), or the proxies' addresses and
 * CIDR ranges, comma-separated. Only a trusted proxy's X-Forwarded-Proto turns on HSTS.
 */
const trustProxyFromEnv = z
  .string()
  .trim()
  .transform((value, context): boolean | string[] => {
    const word = value.toLowerCase();
    if (['true', '1', 'yes'].includes(word)) return true;
    if (['false', '0', 'no'].includes(word)) return false;
    const entries = value.split(',').map((entry) => entry.trim());
    for (const entry of entries) {
      const [address, prefix, ...rest] = entry.split('/');
      const family = isIP(address ?? '');
      const prefixOk =
        prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 6 ? 128 : 32));
      if (!family || !prefixOk || rest.length > 0) {
        context.addIssue({
          code: 'custom',
          message: `"${entry}" is not true, false, an IP address or a CIDR range (list several with commas)`,
        });
        return z.NEVER;
      }
    }
    return entries;
  });

/** Every setting the server reads from its environment, parsed once at start-up. */
export const ConfigSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('localhost'),
    PUBLIC_URL: z.url().optional(),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    DATA_DIR: z.string().min(1).default('./data'),
    /** Seals stored secrets (server/src/secret-box.ts): 32 bytes in base64. Required with DATABASE_URL. */
    SECRET_KEY: z
      .string()
      .refine(
        (value) => Buffer.from(value, 'base64').length === 32,
        'must be 32 bytes in base64 (openssl rand -base64 32)',
      )
      .optional(),
    DEMO_SEED: z.enum(['auto', 'off']).default('auto'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    SESSION_IDLE_MINUTES: z.coerce
      .number()
      .int()
      .min(5)
      .max(24 * 60)
      .default(30),
    SESSION_ABSOLUTE_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 7)
      .default(12),
    LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(3).max(100).default(10),
    LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().min(10).max(10_000).default(100),
    LOGIN_WINDOW_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(15),
    PASSWORD_RESET_MINUTES: z.coerce
      .number()
      .int()
      .min(5)
      .max(24 * 60)
      .default(60),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
      .optional(),
    MAIL_FROM: z.string().min(3).default('medmentor <no-reply@medmentor.localhost>'),
    TRUST_PROXY: trustProxyFromEnv.default(false),
    /** How long a write sent with an Idempotency-Key is remembered (server/src/http/idempotency.ts). */
    IDEMPOTENCY_KEY_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 7)
      .default(24),
    /** The largest JSON body most routes accept; CSV and JSON imports and attachments have their own limits. */
    JSON_BODY_LIMIT_KB: z.coerce.number().int().min(16).max(10_240).default(256),
    /** The largest CSV or JSON import a route without a limit of its own accepts. */
    IMPORT_BODY_LIMIT_MB: z.coerce.number().int().min(1).max(200).default(20),
    WEB_DIST_DIR: z.string().min(1).default('web/dist'),
    /** The largest file a message may carry (bytes); larger uploads are refused naming the attachment. */
    MESSAGE_ATTACHMENT_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(100 * 1024 * 1024)
      .default(10 * 1024 * 1024),
  })
  .superRefine((env, context) => {
    // Any hour holds at most ceil(60 / window) windows of at most LOGIN_MAX_FAILURES_PER_ACCOUNT failures each.
    const perHour = env.LOGIN_MAX_FAILURES_PER_ACCOUNT * Math.ceil(60 / env.LOGIN_WINDOW_MINUTES);
    if (perHour > 100) {
      context.addIssue({
        code: 'custom',
        path: ['LOGIN_MAX_FAILURES_PER_ACCOUNT'],
        message: `allows ${perHour} failed sign-ins per account an hour with LOGIN_WINDOW_MINUTES=${env.LOGIN_WINDOW_MINUTES}; at most 100 are allowed`,
      });
    }
  })
  .transform((env) => ({
    ...env,
    PUBLIC_URL: env.PUBLIC_URL ?? `http://localhost:${env.PORT}`,
  }));

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment; an invalid value names the variable and stops start-up. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = ConfigSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  }
  return result.data;
}

/** A configuration for tests and tools: the defaults, with overrides. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    DEMO_SEED: 'off',
    LOG_LEVEL: 'silent',
    SECRET_KEY: 'dGVzdCBrZXkgZm9yIG1lZG1lbnRvciB0ZXN0cyAzMmI=',
    ...overrides,
  });
}
