import { describe, expect, it } from 'vitest';
import { noProblems, PHONE, setUpBrowserFlow } from './support.ts';

/**
 * Mentor compensation in the browser: the demo director sets stipend rules, computes last month,
 * reviews a mentor's ledger, is refused an adjustment without a reason, adds one, approves and
 * exports to payroll; the demo mentor then sees the approved month and downloads their portfolio.
 */

const DIRECTOR = 'director@demo.medmentor.test';
const MENTOR = 'mentor@demo.medmentor.test';
const MENTOR_NAME = 'Amara Okafor';

const flow = setUpBrowserFlow();

function lastMonth(): string {
  const now = new Date();
  const d = new Date(now.getFullYear(), now.getMonth() - 1, 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

describe('mentor compensation', () => {
  it('a director sets the rules, computes last month, adjusts, approves and exports it', async () => {
    const page = await flow.openAs(DIRECTOR);
    await page.getByRole('link', { name: 'Compensation' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mentor compensation' }).waitFor();
    await page.getByRole('link', { name: 'stipend rules' }).click();
    await page.getByRole('heading', { level: 1, name: 'Stipend rules' }).waitFor();
    // The demo director runs both programs: the longitudinal one has the meetings.
    await page.getByLabel('Program', { exact: true }).selectOption({ label: 'Longitudinal Mentorship Program' });
    // The demo program already pays per mentee month from the start of this academic year.
    const rules = page.getByRole('region', { name: 'Stipend rules' });
    await rules.getByText('$100.00 per mentee month').waitFor();

    // A rule with no amount names the field; one that starts before the running rule of its kind is refused.
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.getByText('Enter an amount in dollars and cents').waitFor();
    const year = new Date().getFullYear() - 2;
    await page.getByLabel('Kind').selectOption('per_mentee_month');
    await page.getByLabel('Amount (dollars)').fill('90.00');
    await page.getByLabel('From').fill(`${year}-07-01`);
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.getByText(/a new one must start after it/).waitFor();
    await page.getByLabel('Kind').selectOption('per_hour');
    await page.getByLabel('Amount (dollars)').fill('75.50');
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.getByText(/Rule added: \$75\.50 per hour/).waitFor();
    await rules.getByText('$75.50 per hour').waitFor();
    await expect.poll(() => rules.locator('tbody tr').count()).toBe(2);

    // The payroll office's number for the demo mentor, which the payroll file then carries.
    const ids = page.getByRole('region', { name: 'Payroll employee ids' });
    await ids.getByLabel('Mentor', { exact: true }).selectOption({ label: MENTOR_NAME });
    await ids.getByLabel('Employee id', { exact: true }).fill('bad id!');
    await ids.getByRole('button', { name: 'Save employee id' }).click();
    await ids.getByText('Use up to 40 letters, digits, dots, dashes or underscores').waitFor();
    await ids.getByLabel('Employee id', { exact: true }).fill('E-10442');
    await ids.getByRole('button', { name: 'Save employee id' }).click();
    await ids.getByText(`Employee id of ${MENTOR_NAME} set to E-10442.`).waitFor();
    await ids.getByRole('row', { name: new RegExp(`${MENTOR_NAME} E-10442`) }).waitFor();
    await noProblems(page, 'compensation-rules');

    await page.getByRole('link', { name: 'monthly ledger' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mentor compensation' }).waitFor();
    const period = lastMonth();
    await page.getByLabel('Month', { exact: true }).fill(period);
    await page.getByRole('button', { name: /^Compute / }).click();
    await page.getByText(/^Computed .* mentor ledger\(s\)/).waitFor({ timeout: 30_000 });
    const table = page.getByRole('region', { name: /Ledgers for/ });
    await table.waitFor();
    await expect.poll(() => table.locator('tbody tr').count()).toBeGreaterThan(0);
    await noProblems(page, 'compensation-ledger');

    await page.getByRole('button', { name: `Review ${MENTOR_NAME}` }).click();
    const panel = page.locator('.ledger-panel');
    await panel.getByRole('heading', { name: new RegExp(MENTOR_NAME) }).waitFor();
    await panel.getByLabel('Amount (dollars)').fill('25.00');
    await panel.getByRole('button', { name: 'Add adjustment' }).click();
    await panel.getByText('Say why, in a few words').waitFor();
    await panel.getByLabel('Reason').fill('Extra session during exam week');
    await panel.getByRole('button', { name: 'Add adjustment' }).click();
    await panel
      .getByRole('region', { name: 'Adjustment history' })
      .getByText('Extra session during exam week')
      .waitFor();
    await noProblems(page, 'compensation-ledger-review');

    await panel.getByRole('button', { name: /^Approve \$/ }).click();
    await panel.getByText(/Approved by Samuel Adeyemi/).waitFor();
    await expect.poll(() => panel.getByRole('button', { name: 'Add adjustment' }).count()).toBe(0);

    await page.getByRole('button', { name: 'Export approved to payroll' }).click();
    await page.getByText(/Payroll file payroll-.*\.csv made: 1 line\(s\)/).waitFor();
    const link = page.getByRole('link', { name: /payroll-.*-1\.csv/ });
    await link.waitFor();
    const csv = await page.evaluate(async (href) => (await fetch(href)).text(), (await link.getAttribute('href'))!);
    expect(csv).toContain('employee_id,employee_name,department');
    expect(csv).toContain(MENTOR_NAME);
    expect(csv).toContain('E-10442');
    // Asking again makes no second file.
    await page.getByRole('button', { name: 'Export approved to payroll' }).click();
    await page.getByText(/Nothing new was approved/).waitFor();
    await noProblems(page, 'compensation-exported');
  });

  it('the mentor sees the approved month and their portfolio, on a phone', async () => {
    const page = await flow.openAs(MENTOR, PHONE);
    await page.goto(`${flow.url}/my-compensation`);
    await page.getByRole('heading', { level: 1, name: 'My compensation' }).waitFor();
    await page.getByText('Exported to payroll').first().waitFor();
    await page.getByText('Adjustment: Extra session during exam week').waitFor();
    await noProblems(page, 'compensation-mentor');

    await page.goto(`${flow.url}/my-portfolio`);
    await page.getByRole('heading', { level: 1, name: 'My portfolio' }).waitFor();
    await page.getByRole('region', { name: 'Mentoring by academic year' }).waitFor();
    const pdf = page.getByRole('link', { name: 'Download my portfolio (PDF)' });
    const bytes = await page.evaluate(
      async (href) => {
        const response = await fetch(href);
        return { type: response.headers.get('content-type'), size: (await response.arrayBuffer()).byteLength };
      },
      (await pdf.getAttribute('href'))!,
    );
    expect(bytes.type).toBe('application/pdf');
    expect(bytes.size).toBeGreaterThan(1000);
    await noProblems(page, 'compensation-portfolio');
  });
});
