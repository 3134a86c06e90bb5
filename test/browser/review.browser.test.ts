import { describe, expect, it } from 'vitest';
import { noProblems, PHONE, setUpBrowserFlow } from './support.ts';

/**
 * The records review in the browser: the demo mentor opens the review of the demo student (whose
 * narratives keep coming back to the same themes), sees the charts with their tables and the
 * highlighted sentences, and pins a theme; the student finds it on her development plan. The
 * director adds cue phrases to a theme, and a bad phrase is refused at its field.
 */

const MENTOR = 'mentor@demo.medmentor.test';
const STUDENT = 'student@demo.medmentor.test';
const DIRECTOR = 'director@demo.medmentor.test';

const flow = setUpBrowserFlow();

describe('records review', () => {
  let pinnedTheme = '';

  it('the mentor reviews the demo student’s records: charts, tables and highlighted recurring themes; pins one', async () => {
    const page = await flow.openAs(MENTOR);
    await page.getByRole('link', { name: 'My mentorship' }).click();
    await page.getByRole('link', { name: 'Review Sofia Ramirez’s records' }).click();
    await page.getByRole('heading', { level: 1, name: 'Records review: Sofia Ramirez' }).waitFor();

    // Hidden categories are named, and only named.
    await page.locator('.alert', { hasText: 'Not shared with you' }).waitFor();
    await page.getByRole('heading', { level: 2, name: /Since your last meeting|Before your first meeting/ }).waitFor();
    await page.getByRole('table', { name: /Shared records dated on or after/ }).waitFor();

    // Each chart is a figure with a name and the same figures in a table behind <details>.
    const grades = page.getByRole('figure', { name: /Grades by phase/ });
    await grades.waitFor();
    await grades.locator('.recharts-surface').first().waitFor();
    await grades.getByText('Show the grades as a table').click();
    await expect.poll(() => grades.getByRole('table').first().getByRole('row').count()).toBeGreaterThan(1);
    const exams = page.getByRole('figure', { name: /NBME subject exam over time/ });
    await exams.waitFor();
    await exams.getByText(/dashed line is the cohort percentile/).waitFor();

    // Recurring themes, their sentences with the matched words marked, strengths and concerns in words.
    const recurring = page.getByRole('list', { name: 'Recurring themes' });
    await recurring.waitFor();
    const first = recurring.getByRole('listitem').first();
    pinnedTheme = (await first.getByRole('heading', { level: 3 }).textContent()) ?? '';
    expect(pinnedTheme).not.toBe('');
    await expect.poll(() => first.locator('mark').count()).toBeGreaterThan(0);
    await expect
      .poll(() => page.locator('.records-review-sentence .badge', { hasText: /^(Concern|Strength)/ }).count())
      .toBeGreaterThan(0);
    await first.getByText(/^Mentioned in /).waitFor();
    await noProblems(page, 'review-mentor');

    await first.getByRole('button', { name: 'Pin to development plan' }).click();
    await page.getByText(`“${pinnedTheme}” was added to the development plan`).waitFor();
    const pinned = recurring.getByRole('listitem').filter({ hasText: pinnedTheme }).first();
    await pinned.getByText('Pinned').first().waitFor();
    await expect.poll(() => pinned.getByRole('button', { name: 'Pin to development plan' }).count()).toBe(0);
    await noProblems(page, 'review-mentor-pinned');
  });

  it('the student sees the pinned theme as a goal on her plan, and what her mentor sees, on a phone', async () => {
    expect(pinnedTheme, 'the mentor pinned a theme first').not.toBe('');
    const page = await flow.openAs(STUDENT, PHONE);
    await page.goto(`${flow.url}/plan`);
    await page.getByText(pinnedTheme, { exact: true }).first().waitFor();
    await page.goto(`${flow.url}/my-mentorship`);
    await page.getByRole('link', { name: 'What your mentor sees of your records' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'What your mentor sees' }).waitFor();
    await page.getByRole('list', { name: 'Recurring themes' }).waitFor();
    await noProblems(page, 'review-student-phone');
  });

  it('the director adds cue phrases to a theme; a bad phrase is refused at its field', async () => {
    const page = await flow.openAs(DIRECTOR);
    await page.getByRole('link', { name: 'Theme lexicon' }).click();
    await page.getByRole('heading', { level: 1, name: 'Theme lexicon' }).waitFor();
    const form = page.getByRole('region', { name: 'Add cue phrases to a theme' });
    await form.getByLabel('Theme', { exact: true }).selectOption('time-management');
    await form.getByLabel('Cue phrases').fill('charting backlog, *');
    await form.getByRole('button', { name: 'Add cue phrases' }).click();
    await form.locator('.field-error', { hasText: 'lone *' }).waitFor();
    await expect(form.getByLabel('Cue phrases').getAttribute('aria-invalid')).resolves.toBe('true');
    await noProblems(page, 'review-lexicon-error');

    await form.getByLabel('Cue phrases').fill('charting backlog');
    await form.getByRole('button', { name: 'Add cue phrases' }).click();
    await page.getByText('Added 1 cue phrase to “Time management”.').waitFor();
    await page
      .getByRole('list', { name: 'Edits to themes' })
      .getByText(/Cues added: charting backlog/)
      .waitFor();
    await noProblems(page, 'review-lexicon');
  });
});
