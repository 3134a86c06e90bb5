import { AppError } from '../../errors.ts';

interface PgError {
  code?: string;
  constraint?: string;
  message?: string;
}

/**
 * The database's own firewall (a constraint trigger on pairings) speaks SQLSTATE 23514 with the
 * constraint `pairings_firewall` or `pairings_program_exclusion`; turn it into the API's conflict.
 */
export function firewallErrorFrom(error: unknown): AppError | null {
  const pg = (typeof error === 'object' && error !== null ? error : {}) as PgError;
  if (
    pg.code === '23514' &&
    (pg.constraint === 'pairings_firewall' || pg.constraint === 'pairings_program_exclusion')
  ) {
    const message = (pg.message ?? 'The pairing breaks the firewall').replace(/^firewall: /, '');
    return new AppError('conflict', `This pairing is not allowed: ${message}`, { field: 'mentorId' });
  }
  // The readiness trigger (migration 0025): the mentor lacks a required training or the signed agreement.
  if (pg.code === 'MR001' && pg.constraint === 'pairings_mentor_ready') {
    const message = pg.message ?? 'the mentor is not ready to mentor';
    return new AppError('conflict', `This pairing is not allowed: ${message}`, {
      field: 'mentorId',
      details: { conflicts: [{ kind: 'readiness', message }] },
    });
  }
  if (pg.code === '23505' && pg.constraint === 'pairings_active_key') {
    return new AppError('conflict', 'The student already has an active mentor of this type in this program', {
      field: 'kind',
    });
  }
  return null;
}
