/** Money for people: integer cents shown as dollars, and dollars typed by people read back as exact cents. */
export { formatCents, parseCents } from '../../../../common/compensation.ts';

/** The current month, 'YYYY-MM', in the browser's time zone. */
export function currentPeriod(now = new Date()): string {
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;
}

/** "2026-09" → "September 2026". */
export function periodLabel(period: string): string {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month - 1, 1)).toLocaleDateString('en-US', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

export const STATUS_LABELS = { draft: 'Draft', approved: 'Approved', exported: 'Exported to payroll' } as const;
