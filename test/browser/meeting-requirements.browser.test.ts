import { describe, expect, it } from 'vitest';
import { noProblems, setUpBrowserFlow } from './support.ts';

/**
 * Meeting requirements in the browser: the demo director reads the program's cadence per phase
 * and its agenda templates, is told which field is wrong, changes a cadence, and adds a topic that
 * covers the development plan; the next meeting proposed gets that agenda.
 */

const DIRECTOR = 'director@demo.medmentor.test';

const flow = setUpBrowserFlow();

describe('meeting requirements', () => {
  it('a director changes a phase’s cadence and its agenda, with errors named at the field', async () => {
    const page = await flow.openAs(DIRECTOR);
    await page.getByRole('link', { name: 'Meeting requirements' }).click();
    await page.getByRole('heading', { level: 1, name: 'Meeting requirements' }).waitFor();
    await page.getByLabel('Program', { exact: true }).selectOption({ label: 'Longitudinal Mentorship Program' });
    await page.locator('.page-header .eyebrow', { hasText: 'Longitudinal Mentorship Program' }).waitFor();

    const clerkship = page.getByRole('form', { name: 'Clerkship', exact: true }).first();
    await clerkship.waitFor();
    await expect.poll(() => clerkship.textContent()).toContain('Meet every 6 weeks');
    const grace = clerkship.getByLabel('Grace period (days)');
    await grace.fill('ten');
    await clerkship.getByRole('button', { name: /Save cadence/ }).click();
    await clerkship.getByText('Enter a whole number').waitFor();
    await expect(grace.getAttribute('aria-invalid')).resolves.toBe('true');
    await grace.fill('10');
    await clerkship.getByRole('button', { name: /Save cadence/ }).click();
    await clerkship.getByText('Saved the cadence for clerkship.').waitFor();
    await expect.poll(() => clerkship.textContent()).toContain('10 days’ grace');

    const agendas = page.getByRole('region', { name: 'Agenda templates' });
    const defaultAgenda = agendas.getByRole('form', { name: /^Default/ });
    const titles = defaultAgenda.getByRole('textbox', { name: /^Topic \d+$/ });
    await expect
      .poll(() => titles.evaluateAll((inputs) => inputs.map((input) => (input as unknown as { value: string }).value)))
      .toContain('Development plan: goals and progress');
    await expect(defaultAgenda.getByLabel('Covers the development plan (topic 3)').isChecked()).resolves.toBe(true);
    await defaultAgenda.getByRole('button', { name: /Add a topic/ }).click();
    await defaultAgenda.getByRole('button', { name: /Save agenda/ }).click();
    await defaultAgenda.getByText('Give the topic a title, or remove it').waitFor();
    const last = defaultAgenda.getByRole('textbox', { name: 'Topic 6', exact: true });
    await last.fill('Goals for the next rotation');
    await defaultAgenda.getByLabel('Covers the development plan (topic 6)').check();
    await defaultAgenda.getByRole('button', { name: /Save agenda/ }).click();
    await defaultAgenda.getByText('Saved the agenda for default (every phase without its own).').waitFor();

    await noProblems(page, 'meeting-requirements');

    // What was saved is what the server now holds.
    await page.reload();
    const reloaded = page.getByRole('form', { name: /^Default/ });
    await reloaded.getByRole('textbox', { name: 'Topic 6', exact: true }).waitFor();
    await expect(reloaded.getByRole('textbox', { name: 'Topic 6', exact: true }).inputValue()).resolves.toBe(
      'Goals for the next rotation',
    );
    await expect(reloaded.getByLabel('Covers the development plan (topic 6)').isChecked()).resolves.toBe(true);
  });
});
