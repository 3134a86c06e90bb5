import { describe, expect, it } from 'vitest';
import { noProblems, setUpBrowserFlow } from './support.ts';

/**
 * Early warning in the browser: the demo student checks in low for the month; the job runner
 * raises an alert to her mentor, who finds it in the inbox (with a count in the navigation),
 * acknowledges it, logs a contact and resolves it with a note; the director's rules page shows
 * counts, never content.
 */

const STUDENT = 'student@demo.medmentor.test';
const MENTOR = 'mentor@demo.medmentor.test';
const DIRECTOR = 'director@demo.medmentor.test';

const flow = setUpBrowserFlow();

describe('early warning', () => {
  it('a low check-in reaches the mentor, who acknowledges, reaches out and resolves', async () => {
    const student = await flow.openAs(STUDENT);
    await student.getByRole('link', { name: 'Wellbeing check-in' }).click();
    await student.getByRole('heading', { level: 1, name: 'Wellbeing check-in' }).waitFor();
    await noProblems(student, 'early-warning-check-in-empty');

    // Saving without a choice names the problem.
    await student.getByRole('button', { name: 'Save my check-in' }).click();
    await student.getByText('Choose how you are doing').waitFor();

    await student.getByRole('radio', { name: /Struggling/ }).check();
    await student.getByLabel('Anything you want to add (optional)').fill('Exams and a family illness at once.');
    await student.getByRole('button', { name: 'Save my check-in' }).click();
    await student.getByText(/Thank you\. Your check-in for/).waitFor();
    await student.getByRole('button', { name: 'Update my check-in' }).waitFor();
    await noProblems(student, 'early-warning-check-in-saved');

    const mentor = await flow.openAs(MENTOR);
    // The runner evaluates the check-in within a second or two; the inbox shows it once raised.
    const alertLink = mentor.getByRole('link', { name: /Low wellbeing check-in: Sofia Ramirez/ });
    for (let attempt = 0; attempt < 20; attempt++) {
      await mentor.goto(`${flow.url}/alerts`);
      await mentor.getByRole('heading', { level: 1, name: 'Alerts' }).waitFor();
      await mentor.getByRole('list', { name: 'Alerts' }).or(mentor.getByText('No alerts here')).first().waitFor();
      if ((await alertLink.count()) > 0) break;
      await mentor.waitForTimeout(500);
    }
    await alertLink.waitFor();
    await mentor.getByRole('link', { name: /Alerts \d+ new/ }).waitFor();
    await noProblems(mentor, 'early-warning-inbox');

    await alertLink.click();
    await mentor.getByRole('heading', { level: 1, name: 'Low wellbeing check-in: Sofia Ramirez' }).waitFor();
    await mentor.getByText(/was 1 out of 5/).waitFor();
    // The note stays the student's: she did not share it.
    await expect.poll(() => mentor.getByText('Exams and a family illness at once.').count()).toBe(0);
    await noProblems(mentor, 'early-warning-alert-new');

    await mentor.getByRole('button', { name: 'Acknowledge' }).click();
    await mentor.getByText('Acknowledged. Your mentee will see that you have seen it.').waitFor();
    await mentor.locator('.badge', { hasText: 'Acknowledged' }).waitFor();

    await mentor.getByLabel('How').selectOption('phone');
    await mentor.getByLabel('Note (optional)').fill('Called; we meet on Friday.');
    await mentor.getByRole('button', { name: 'Log contact' }).click();
    await mentor.getByText('Contact logged.').waitFor();
    await mentor.locator('.contact-list').getByText('Called; we meet on Friday.').waitFor();
    await mentor.locator('.badge', { hasText: 'Reached out' }).waitFor();
    await noProblems(mentor, 'early-warning-alert-outreach');

    // Resolving needs a note.
    await mentor.getByRole('button', { name: 'Resolve alert' }).click();
    await mentor.getByText('Write a few words on how it was resolved').waitFor();
    await mentor.getByLabel('Resolution note').fill('Met on Friday; she has a plan and knows where to find support.');
    await mentor.getByRole('button', { name: 'Resolve alert' }).click();
    await mentor.getByRole('heading', { name: 'Resolution' }).waitFor();
    await mentor.locator('.badge', { hasText: 'Resolved' }).waitFor();
    await noProblems(mentor, 'early-warning-alert-resolved');

    await mentor.getByRole('link', { name: '← All alerts' }).click();
    await mentor.getByLabel('Show').selectOption('resolved');
    await alertLink.waitFor();
  });

  it('a director sets the rules and sees counts, never content', async () => {
    const page = await flow.openAs(DIRECTOR);
    await page.getByRole('link', { name: 'Early warning' }).click();
    await page.getByRole('heading', { level: 1, name: 'Early warning' }).waitFor();
    await page.getByRole('definition').first().waitFor();
    await expect.poll(() => page.getByText(/out of 5/).count()).toBe(0);

    await page.getByLabel('Raise an alert when results fall between exams of one kind').check();
    await page.getByLabel('Fall in score points').fill('');
    await page.getByLabel('Fall in percentiles').fill('');
    await page.getByRole('button', { name: 'Save rules' }).click();
    await page
      .getByText(/set points, percentiles or both for the exam-drop rule/)
      .first()
      .waitFor();
    await noProblems(page, 'early-warning-settings-error');

    await page.getByLabel('Fall in score points').fill('12');
    await page.getByRole('button', { name: 'Save rules' }).click();
    await page.getByText(/^Saved\. The rules apply/).waitFor();
    await noProblems(page, 'early-warning-settings');
  });
});
