/**
 * The demo school's mentor pay: the longitudinal program pays $100.00 per mentee for each month the
 * cadence is met, from the start of this academic year (1 July), capped at $400.00 a month per
 * mentor, with the medical school's cost centre and earning code on the payroll file. Entered as
 * the demo director would, with the audit trail the web page writes. Months are left for the
 * director to compute and approve.
 */
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { localDate } from '../meetings/cadence.service.ts';
import * as repo from '../compensation/compensation.repository.ts';
import { DEMO_EMAIL_DOMAIN, DEMO_TIME_ZONE, LONGITUDINAL_PROGRAM_SLUG, type DemoSchool } from './seed-demo.ts';

export const DEMO_STIPEND_CENTS = 10_000;
export const DEMO_MONTHLY_CAP_CENTS = 40_000;

export async function seedDemoCompensation(trx: Transaction<DB>, school: DemoSchool, now: Date): Promise<void> {
  const programId = school.programs.find((p) => p.slug === LONGITUDINAL_PROGRAM_SLUG)!.id!;
  const director = school.users.find((u) => u.email === `director@${DEMO_EMAIL_DOMAIN}`)!.id!;
  const today = localDate(now, DEMO_TIME_ZONE);
  const year = Number(today.slice(5, 7)) >= 7 ? Number(today.slice(0, 4)) : Number(today.slice(0, 4)) - 1;
  const effectiveFrom = `${year}-07-01`;

  await trx
    .insertInto('compensation_settings')
    .values({
      program_id: programId,
      monthly_cap_cents: DEMO_MONTHLY_CAP_CENTS,
      term_cap_cents: null,
      term_start_month: 7,
      cost_centre: 'MED-EDU-4410',
      earning_code: 'MENTOR',
      updated_by: director,
      updated_at: now,
    })
    .execute();
  await repo.addAudit(trx, {
    programId,
    ledgerId: null,
    event: 'settings_changed',
    actorId: director,
    at: now,
    detail: `monthly cap ${DEMO_MONTHLY_CAP_CENTS} cents, cost centre MED-EDU-4410, earning code MENTOR`,
  });
  await trx
    .insertInto('stipend_rules')
    .values({
      program_id: programId,
      kind: 'per_mentee_month',
      amount_cents: DEMO_STIPEND_CENTS,
      effective_from: effectiveFrom,
      created_by: director,
      created_at: now,
    })
    .execute();
  await repo.addAudit(trx, {
    programId,
    ledgerId: null,
    event: 'rule_added',
    actorId: director,
    at: now,
    detail: `per_mentee_month: ${DEMO_STIPEND_CENTS} cents from ${effectiveFrom}`,
  });
}
