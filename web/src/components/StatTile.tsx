import type { ReactNode } from 'react';
import { formatNumber } from '../format.ts';

/** A row of figures; a description list so each number is read with its label. */
export function StatGrid({ children, label }: { children: ReactNode; label?: string }) {
  return (
    <dl className="stat-grid" aria-label={label}>
      {children}
    </dl>
  );
}

interface StatTileProps {
  label: string;
  value: number;
  hint?: string;
  tone?: 'neutral' | 'positive' | 'attention';
}

export function StatTile({ label, value, hint, tone = 'neutral' }: StatTileProps) {
  return (
    <div className={`stat-tile stat-${tone}`}>
      <dt className="stat-label">{label}</dt>
      <dd className="stat-value">{formatNumber(value)}</dd>
      {hint && <dd className="stat-hint">{hint}</dd>}
    </div>
  );
}
