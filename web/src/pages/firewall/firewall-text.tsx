import type { ReactNode } from 'react';
import type { ApiError } from '../../api/client.ts';
import { PairingConflictDetailsSchema, type PairingKind } from '../../api/firewall-schemas.ts';

export const PAIRING_KIND_LABELS: Record<PairingKind, string> = {
  general: 'General',
  academic: 'Academic',
  career: 'Career',
  wellness: 'Wellness',
};

export const ASSESSMENT_KIND_LABELS: Record<string, string> = {
  rotation: 'Rotation',
  course_director: 'Course director',
  committee: 'Committee',
  manual: 'Manual entry',
};

/** Today in the reader's own calendar, as YYYY-MM-DD (what a date input holds). */
export function todayIso(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * The server's refusal of a pair, for display next to the mentor field: each reason the firewall
 * gave (the assessment relationship it found, the program's exclusion) on its own line.
 */
export function refusalMessage(error: ApiError): ReactNode {
  const details = PairingConflictDetailsSchema.safeParse(error.details);
  if (!details.success || details.data.conflicts.length === 0) return error.message;
  return (
    <span className="refusal">
      <span className="refusal-title">This pairing is not allowed:</span>
      <ul className="refusal-list">
        {details.data.conflicts.map((conflict) => (
          <li key={conflict.message}>{conflict.message}</li>
        ))}
      </ul>
    </span>
  );
}
