/**
 * Recognises the PostgreSQL errors a service turns into an AppError. PGlite and node-postgres
 * both raise errors carrying the SQLSTATE `code` and the `constraint` name, so one check fits both.
 */

interface PostgresError {
  code?: unknown;
  constraint?: unknown;
}

function postgresError(error: unknown): PostgresError | undefined {
  return typeof error === 'object' && error !== null ? (error as PostgresError) : undefined;
}

/** A unique constraint or unique index was violated; when `constraint` is given, that one. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const pgError = postgresError(error);
  if (pgError?.code !== '23505') return false;
  return constraint === undefined || pgError.constraint === constraint;
}

/** A foreign key was violated: a referenced row is gone (deleted while we worked) or never existed. */
export function isForeignKeyViolation(error: unknown): boolean {
  return postgresError(error)?.code === '23503';
}
