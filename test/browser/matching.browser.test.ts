import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  api,
  apiPost,
  expectFocus,
  expectNoPageErrors,
  expectNoSeriousA11yViolations,
  noProblems,
  PHONE,
  saveScreenshot,
  setUpBrowserFlow,
} from './support.ts';

/**
 * Matching in the browser: two mentors say what they offer and how many mentees they take, a
 * student says what they want and ranks mentors with the keyboard, and a director opens a round
 * for the student's cohort, runs it, changes a mentor by hand, sees what that did to the scores,
 * meets a stale edit, and publishes. The flows run in order against one demo school.
 */

const DIRECTOR = 'director@demo.medmentor.test';
const MENTOR = 'mentor@demo.medmentor.test';
const SECOND_MENTOR = 'mentor.assessor@demo.medmentor.test';
const STUDENT = 'student.unmatched@demo.medmentor.test';
const LMP = 'Longitudinal Mentorship Program';
const ROUND_NAME = 'First-years, spring';
// Labels the demo's own profiles do not use, so adding them never meets "already in the list".
const SPECIALTY = 'Sports medicine';
const LANGUAGE = 'Tagalog';

interface Ref {
  id: string;
  name: string;
}

const flow = setUpBrowserFlow();
let mentor: Ref;
let student: Ref;

async function me(page: Page): Promise<Ref> {
  const session = await api<{ user: Ref }>(page, '/api/auth/session');
  return { id: session.user.id, name: session.user.name };
}

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function goTo(page: Page, link: string, title: string): Promise<void> {
  await nav(page).getByRole('link', { name: link, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  await expect(page.title()).resolves.toBe(`${title} – medmentor`);
}

/** Adds a label to a tag list by typing it and pressing Enter. */
async function addTag(form: Locator, addLabel: string, value: string): Promise<void> {
  const input = form.getByLabel(addLabel, { exact: true });
  await input.fill(value);
  await input.press('Enter');
  await form.getByRole('button', { name: `Remove ${value}`, exact: true }).waitFor();
  await expect.poll(() => input.inputValue(), { timeout: 10_000 }).toBe('');
}

/** Fills in a mentor's profile through the page and saves it. */
async function fillMentorProfile(page: Page, profile: { specialty: string; topic: string; capacity: string }) {
  await goTo(page, 'Matching profile', 'Matching profile');
  const form = page.getByRole('form', { name: 'Mentor profile' });
  await addTag(form, 'Add a specialty', profile.specialty);
  await form.getByRole('checkbox', { name: profile.topic }).check();
  await addTag(form, 'Add a language', LANGUAGE);
  await form.getByLabel('Campus', { exact: true }).fill('Riverside main campus');
  await form.getByLabel('Mentees you can take').fill(profile.capacity);
  await form.getByRole('button', { name: 'Save mentor profile' }).click();
  await form.getByText('Your mentor profile is saved.').waitFor();
}

describe('matching profiles', () => {
  it('lets a mentor say what they offer and how many mentees they take', async () => {
    const page = await flow.openAs(MENTOR);
    mentor = await me(page);
    await goTo(page, 'Matching profile', 'Matching profile');
    const form = page.getByRole('form', { name: 'Mentor profile' });
    await form.getByText('Mentees now').waitFor();

    // A capacity outside 0–30 is refused at the field, before anything is sent.
    await form.getByLabel('Mentees you can take').fill('31');
    await form.getByRole('button', { name: 'Save mentor profile' }).click();
    await form.getByText('Enter a whole number from 0 to 30').waitFor();
    await expect(form.getByLabel('Mentees you can take').getAttribute('aria-invalid')).resolves.toBe('true');
    await expectFocus(page, { name: 'capacity' });

    // Labels are added with Enter or the Add button, and removed with their own named button.
    await addTag(form, 'Add a specialty', SPECIALTY);
    await form.getByLabel('Add a specialty', { exact: true }).fill('Aerospace medicine');
    await form.getByRole('button', { name: 'Add to specialties' }).click();
    await form.getByRole('button', { name: 'Remove Aerospace medicine' }).click();
    await expect.poll(() => form.getByRole('button', { name: 'Remove Aerospace medicine' }).count()).toBe(0);
    // A label already in the list is not added twice.
    await form.getByLabel('Add a specialty', { exact: true }).fill(SPECIALTY.toLowerCase());
    await form.getByLabel('Add a specialty', { exact: true }).press('Enter');
    await form.getByText(`“${SPECIALTY.toLowerCase()}” is already in the list.`).waitFor();
    await form.getByLabel('Add a specialty', { exact: true }).fill('');

    await form.getByRole('checkbox', { name: 'First-generation student' }).check();
    await addTag(form, 'Add another topic', 'Military families');
    await addTag(form, 'Add a language', LANGUAGE);
    await form.getByLabel('Campus', { exact: true }).fill('Riverside main campus');
    await form.getByLabel('Mentees you can take').fill('30');
    await form.getByRole('button', { name: 'Save mentor profile' }).click();
    await form.getByText('Your mentor profile is saved.').waitFor();
    await noProblems(page, 'matching-profile-mentor');

    // What was saved is what comes back.
    await page.reload();
    const again = page.getByRole('form', { name: 'Mentor profile' });
    await again.getByRole('button', { name: `Remove ${SPECIALTY}` }).waitFor();
    await again.getByRole('button', { name: 'Remove Military families' }).waitFor();
    await expect(again.getByRole('checkbox', { name: 'First-generation student' }).isChecked()).resolves.toBe(true);
    await expect(again.getByLabel('Mentees you can take').inputValue()).resolves.toBe('30');
  });

  it('lets a second mentor take mentees too', async () => {
    const page = await flow.openAs(SECOND_MENTOR);
    await fillMentorProfile(page, { specialty: 'Wilderness medicine', topic: 'Finances and debt', capacity: '30' });
  });

  it('lets a student say what they want and rank mentors with the keyboard', async () => {
    const page = await flow.openAs(STUDENT);
    student = await me(page);
    const { mentors: choices } = await api<{ mentors: Ref[] }>(page, '/api/me/matching-profile/mentor-choices');
    expect(choices.map((c) => c.id)).toContain(mentor.id);
    const other = choices.find((c) => c.id !== mentor.id)!;

    await goTo(page, 'Matching profile', 'Matching profile');
    const form = page.getByRole('form', { name: 'Student profile' });
    await addTag(form, 'Add an interest', SPECIALTY);
    await form.getByRole('checkbox', { name: 'First-generation student' }).check();
    await addTag(form, 'Add a language', LANGUAGE);
    await form.getByLabel('Campus', { exact: true }).fill('Riverside main campus');

    // Start the ranking afresh: whatever the student ranked before is removed, one named button at a time.
    const ranking = form.getByRole('list', { name: 'Your ranked mentors' });
    while ((await ranking.count()) > 0) {
      const before = await ranking.getByRole('listitem').count();
      await ranking
        .getByRole('button', { name: /^Remove / })
        .first()
        .click();
      await expect
        .poll(() => form.getByRole('list', { name: 'Your ranked mentors' }).getByRole('listitem').count(), {
          timeout: 10_000,
        })
        .toBe(before - 1);
    }
    await form.getByText('You have not ranked any mentors.').waitFor();

    // Rank the other mentor first, then move the wanted one to the top with the keyboard.
    const add = form.getByLabel('Add a mentor to your list');
    await add.selectOption({ value: other.id });
    await form.getByRole('button', { name: 'Add to my list' }).click();
    await add.selectOption({ value: mentor.id });
    await form.getByRole('button', { name: 'Add to my list' }).click();
    const ranked = form.getByRole('list', { name: 'Your ranked mentors' }).getByRole('listitem');
    await expect
      .poll(() => ranked.allTextContents())
      .toEqual([expect.stringContaining(other.name), expect.stringContaining(mentor.name)]);
    await form.getByRole('button', { name: `Move up ${mentor.name}` }).focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => ranked.allTextContents(), { timeout: 10_000 })
      .toEqual([expect.stringContaining(mentor.name), expect.stringContaining(other.name)]);
    // At the top there is no "Move up", so focus stays with the same mentor, on "Move down".
    await expectFocus(page, { text: `Move down ${mentor.name}` });
    await page.getByText(`${mentor.name} is now number 1 of 2.`).waitFor();

    await form.getByRole('button', { name: 'Save profile' }).click();
    await form.getByText('Your profile is saved.').waitFor();
    await noProblems(page, 'matching-profile-student');

    await page.reload();
    const again = page.getByRole('form', { name: 'Student profile' });
    await expect
      .poll(() => again.getByRole('list', { name: 'Your ranked mentors' }).getByRole('listitem').allTextContents(), {
        timeout: 10_000,
      })
      .toEqual([expect.stringContaining(mentor.name), expect.stringContaining(other.name)]);
    await again.getByRole('button', { name: `Remove ${SPECIALTY}` }).waitFor();
  });
});

describe('a matching round for a program director', () => {
  let roundUrl: string;

  it('shows the weights and opens a round for a cohort', async () => {
    const page = await flow.openAs(DIRECTOR);
    const { items } = await apiPost<{ items: { student: { cohortName: string } | null }[] }>(
      page,
      '/api/people/search',
      { role: 'student', search: STUDENT, limit: 1 },
    );
    const cohortName = items[0]!.student!.cohortName;

    await goTo(page, 'Matching', 'Matching');
    const switcher = page.getByLabel('Program', { exact: true });
    // The demo director runs two programs, so the page asks which.
    await switcher.selectOption({ label: LMP });
    await page.locator('.page-header .eyebrow', { hasText: LMP }).waitFor();
    const weights = page.getByRole('form', { name: 'Matching weights' });
    await weights.getByRole('slider', { name: 'Specialty' }).waitFor();
    await weights
      .getByText(/of the score$/)
      .first()
      .waitFor();
    await noProblems(page, 'matching-program');

    // The server refuses weights that are all 0, and its reason shows at the field it names.
    for (const name of ['Specialty', 'Life and career topics', 'Language', 'Campus', 'Student’s ranking']) {
      await weights.getByRole('slider', { name }).press('Home');
    }
    await expect.poll(() => weights.getByText('Ignored').count()).toBe(5);
    await weights.getByRole('button', { name: 'Save weights' }).click();
    await weights.getByText('Give at least one attribute a weight above 0').waitFor();
    const specialty = weights.getByRole('slider', { name: 'Specialty' });
    await expect(specialty.getAttribute('aria-invalid')).resolves.toBe('true');
    await expectFocus(page, { name: 'specialty' });
    await specialty.press('ArrowRight');
    await expect(specialty.getAttribute('aria-invalid')).resolves.toBe(null);
    await weights.getByRole('slider', { name: 'Student’s ranking' }).press('End');
    for (let i = 0; i < 3; i++) await specialty.press('ArrowRight');
    await weights.getByRole('button', { name: 'Save weights' }).click();
    await weights.getByText('The weights are saved.', { exact: false }).waitFor();
    await weights.getByText(/^Last changed /).waitFor();

    const newRound = page.getByRole('button', { name: 'New round' });
    await newRound.click();
    const form = page.getByRole('form', { name: 'New matching round' });
    // Both missing fields are named, and focus goes to the first.
    await form.getByRole('button', { name: 'Start round' }).click();
    await form.getByText('Give the round a name').waitFor();
    await form.getByText('Choose the cohort to match').waitFor();
    await expectFocus(page, { name: 'name' });
    await form.getByLabel('Name').fill(ROUND_NAME);
    await form.getByLabel('Cohort').selectOption({ label: cohortName });
    await form.getByRole('button', { name: 'Start round' }).click();

    await page.getByRole('heading', { level: 1, name: ROUND_NAME }).waitFor();
    await page.locator('.page-header .badge', { hasText: 'Draft' }).waitFor();
    roundUrl = page.url();
    expect(roundUrl).toMatch(/\/matching-rounds\/[0-9a-f-]{36}$/);
    await page.getByRole('row', { name: new RegExp(escape(student.name)) }).waitFor();
    await expect(page.getByRole('button', { name: 'Publish' }).isDisabled()).resolves.toBe(true);
    await noProblems(page, 'matching-round-draft');
  });

  it('runs the round, changes a mentor by hand and sees what it did to the scores', async () => {
    const page = await flow.openAs(DIRECTOR);
    await page.goto(roundUrl);
    await page.getByRole('heading', { level: 1, name: ROUND_NAME }).waitFor();

    const method = page.getByRole('group', { name: 'Method' });
    await expect(method.getByRole('radio', { name: /^Optimal/ }).isChecked()).resolves.toBe(true);
    await method.getByText('No student and mentor would both rather have each other').waitFor();
    await page.getByRole('button', { name: 'Run matching' }).click();
    await page.locator('.alert-success', { hasText: /^Matched with Optimal: \d+ of \d+ students placed/ }).waitFor();
    await page.locator('.page-header .badge', { hasText: 'Proposed' }).waitFor();

    const tiles = page.locator('.round-summary');
    await tiles.getByText('Certified').waitFor();
    await expect(
      tiles.locator('.stat-tile', { hasText: 'Certified' }).locator('.stat-value').textContent(),
    ).resolves.toBe('Yes');
    // The chart is named, and its figures are there as a table too.
    const chart = page.getByRole('figure', { name: /Score distribution/ });
    await chart.locator('.recharts-bar-rectangle').first().waitFor();
    await chart.getByText('Show the figures as a table').click();
    await chart
      .getByRole('table', { name: 'Placed students per score band' })
      .getByRole('rowheader', { name: '900–1000' })
      .waitFor();

    // The student who asked for what this mentor offers is proposed with them.
    const table = page.getByRole('table', { name: /^Proposed pairs of / });
    const row = table.getByRole('row', { name: new RegExp(escape(student.name)) });
    await row.getByText(mentor.name).waitFor();
    await row.getByText(new RegExp(`interest in ${SPECIALTY}`, 'i')).waitFor();

    // Sorting by score says so in aria-sort; filters narrow the table.
    const scoreHeader = table.getByRole('columnheader', { name: /Score/ });
    await expect(scoreHeader.getAttribute('aria-sort')).resolves.toBe('ascending');
    await scoreHeader.getByRole('button').click();
    await expect(scoreHeader.getAttribute('aria-sort')).resolves.toBe('descending');
    await page.getByLabel('Search by name').fill(student.name);
    await page.getByText(/^Showing 1 of \d+ students$/).waitFor();
    await page.getByLabel('Search by name').fill('');
    await noProblems(page, 'matching-round-proposed');

    const totalBefore = await tiles
      .locator('.stat-tile', { hasText: 'Total score' })
      .locator('.stat-value')
      .textContent();
    await row.getByRole('button', { name: `Change mentor for ${student.name}` }).click();
    const dialog = page.getByRole('dialog', { name: `Choose a mentor for ${student.name}` });
    await dialog.waitFor();
    const current = dialog.getByRole('radio', { name: new RegExp(`^${escape(mentor.name)}`) });
    await expect(current.isChecked()).resolves.toBe(true);
    await dialog
      .getByText(/places? left/)
      .first()
      .waitFor();
    await dialog
      .getByText(/^Score \d+/)
      .first()
      .waitFor();
    await expectNoSeriousA11yViolations(page);
    await saveScreenshot(page, 'matching-change-mentor', { fullPage: false });
    const choice = dialog
      .locator('label.choice:not(.choice-disabled)', { hasNot: page.locator('input:checked') })
      .first();
    const newMentor = (await choice.locator('.choice-title').textContent())!.trim();
    await choice.click();
    await dialog.getByRole('button', { name: 'Use this mentor' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await page.locator('.alert-success', { hasText: `${student.name} now has ${newMentor}` }).waitFor();
    await row.getByText(newMentor).waitFor();
    await row.getByText('Pinned').waitFor();
    await row.getByText('Chosen by hand').waitFor();
    // The summary now says how the hand edit compares with the algorithm's result.
    const total = tiles.locator('.stat-tile', { hasText: 'Total score' });
    await total.getByText(/^−[\d,]+ from the algorithm’s result$/).waitFor();
    await expect(total.locator('.stat-value').textContent()).resolves.not.toBe(totalBefore);
    await tiles.getByText('Hand edits are not proved optimal').waitFor();
    await page.getByRole('checkbox', { name: 'Pinned only' }).check();
    await page.getByText(/^Showing 1 of \d+ students$/).waitFor();
    await page.getByRole('checkbox', { name: 'Pinned only' }).uncheck();
    await noProblems(page, 'matching-round-edited');
  });

  it('says so and reloads when someone else changed the round meanwhile', async () => {
    const page = await flow.openAs(DIRECTOR);
    await page.goto(roundUrl);
    await page.getByRole('heading', { level: 1, name: ROUND_NAME }).waitFor();
    const roundId = roundUrl.split('/').pop()!;

    // Another director runs the round again in another tab: the version on this page is now stale.
    const round = await api<{ version: number }>(page, `/api/matching-rounds/${roundId}`);
    await apiPost(page, `/api/matching-rounds/${roundId}/run`, { mode: 'balanced', version: round.version });

    const row = page
      .getByRole('table', { name: /^Proposed pairs of / })
      .getByRole('row', { name: new RegExp(escape(student.name)) });
    await row.getByRole('button', { name: `Unpin ${student.name}` }).click();
    await page.locator('.alert-warning', { hasText: 'Someone else changed this round' }).waitFor();
    await expectFocus(page, { text: expect.stringContaining('Someone else changed this round') });
    // Reloaded: the other director's run shows, and the student is still pinned.
    await page.locator('.inline-facts', { hasText: 'Balanced load' }).waitFor();
    await row.getByText('Pinned').waitFor();
    expectNoPageErrors(page);
  });

  it('publishes after a confirmation, and the round is read-only from then on', async () => {
    const page = await flow.openAs(DIRECTOR);
    await page.goto(roundUrl);
    await page.getByRole('heading', { level: 1, name: ROUND_NAME }).waitFor();

    const publish = page.getByRole('button', { name: 'Publish', exact: true });
    await publish.click();
    const dialog = page.getByRole('dialog', { name: 'Publish this round?' });
    await dialog.waitFor();
    // The safe choice has focus; Escape closes without publishing.
    await expectFocus(page, { text: 'Not yet' });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await expectFocus(page, { text: 'Publish' });

    await publish.click();
    await dialog.getByText(/pairings will be created at once/).waitFor();
    await expectNoSeriousA11yViolations(page);
    await saveScreenshot(page, 'matching-publish-dialog', { fullPage: false });
    await dialog.getByRole('button', { name: 'Publish', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.locator('.alert-success', { hasText: /^Published: \d+ pairings created/ }).waitFor();
    await page.locator('.page-header .badge', { hasText: 'Published' }).waitFor();
    await page.getByText('This round is published and can no longer change.').waitFor();
    await expect.poll(() => page.getByRole('button', { name: /^Change mentor for / }).count()).toBe(0);
    await expect.poll(() => page.getByRole('button', { name: 'Run again' }).count()).toBe(0);
    await noProblems(page, 'matching-round-published');

    // The round list shows it as published.
    await page.getByRole('link', { name: 'All rounds and the weights' }).click();
    await page.getByRole('row', { name: new RegExp(`${escape(ROUND_NAME)}.*Published`) }).waitFor();
  });

  it('reads well on a phone', async () => {
    const page = await flow.openAs(DIRECTOR, PHONE);
    await page.goto(roundUrl);
    await page.getByRole('heading', { level: 1, name: ROUND_NAME }).waitFor();
    await page
      .getByRole('figure', { name: /Score distribution/ })
      .locator('.recharts-bar-rectangle')
      .first()
      .waitFor();
    await noProblems(page, 'matching-round-phone');
  });
});
