import { ROLE_LABELS, ROLES, RoleSchema, type Me } from '../../common/api.ts';

const dateFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' });
const shortDateFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' });
const dateTimeFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' });
const numberFormat = new Intl.NumberFormat('en-US');
const percentFormat = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 0 });

/**
 * Formats a calendar date such as a pairing's start. Date-only values are read as UTC and shown
 * in UTC, so "2025-08-01" is never shown as July 31 to someone west of Greenwich.
 */
export function formatDate(value: string): string {
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  return Number.isNaN(date.getTime()) ? value : dateFormat.format(date);
}

/** A calendar date in short form ("Apr 26, 2027"), for ranges in tables; read as UTC like formatDate. */
export function formatShortDate(value: string): string {
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  return Number.isNaN(date.getTime()) ? value : shortDateFormat.format(date);
}

/** Formats a moment in the reader's own time zone. */
export function formatDateTime(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : dateTimeFormat.format(date);
}

export const formatNumber = (value: number): string => numberFormat.format(value);

export const formatPercent = (part: number, whole: number): string =>
  whole === 0 ? '—' : percentFormat.format(part / whole);

/** Turns a machine key such as `performance_records` into "Performance records". */
export function humanize(key: string): string {
  const words = key.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function roleLabel(role: string): string {
  const parsed = RoleSchema.safeParse(role);
  return parsed.success ? ROLE_LABELS[parsed.data] : humanize(role);
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const first = parts[0]?.[0] ?? '';
  const last = parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '';
  return (first + last).toUpperCase();
}

export const hasRole = (me: Me, role: Me['roles'][number]['role']): boolean =>
  me.roles.some((grant) => grant.role === role);

/** One line per role, naming the programs a scoped role (mentor, director) applies to. */
export function describeRoles(me: Me): string[] {
  const programsByRole = new Map<string, string[]>();
  for (const grant of me.roles) {
    const programs = programsByRole.get(grant.role) ?? [];
    if (grant.programName) programs.push(grant.programName);
    programsByRole.set(grant.role, programs);
  }
  const order = (role: string) => ROLES.indexOf(role as (typeof ROLES)[number]);
  return [...programsByRole]
    .sort(([a], [b]) => order(a) - order(b))
    .map(([role, programs]) => (programs.length > 0 ? `${roleLabel(role)} · ${programs.join(', ')}` : roleLabel(role)));
}
