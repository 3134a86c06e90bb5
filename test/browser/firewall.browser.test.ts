import { readFileSync } from 'node:fs';
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
 * The firewall in the browser, as a program director and the people they pair: the conflict
 * queue, pairing (and being refused), exclusions, the assessment import and the audit log, then
 * what a student and a mentor see of it. The flows run in order against one demo school: the
 * conflict resolved in one is gone in the next, and the student paired in one sees their mentor later.
 */

const DIRECTOR = 'director@demo.medmentor.test';
const UNMATCHED = 'student.unmatched@demo.medmentor.test';
const LMP = 'Longitudinal Mentorship Program';

interface Ref {
  id: string;
  name: string;
}
interface Person extends Ref {
  email: string;
  roles: { role: string; programId: string | null }[];
}

const flow = setUpBrowserFlow();

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });
const heading = (page: Page | Locator, level: number, name: string | RegExp) =>
  page.getByRole('heading', { level, name });
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function goTo(page: Page, link: string | RegExp, title: string): Promise<void> {
  await nav(page).getByRole('link', { name: link }).click();
  await heading(page, 1, title).waitFor();
  await expect(page.title()).resolves.toBe(`${title} – medmentor`);
  await expect.poll(() => page.getByRole('heading', { level: 1 }).count()).toBe(1);
}

async function chooseProgram(page: Page, name: string): Promise<void> {
  await page.getByLabel('Program', { exact: true }).selectOption({ label: name });
  await page.locator('.page-header .eyebrow', { hasText: name }).waitFor();
}

/** Types into a person picker and chooses the person from its list, with the mouse or the keyboard. */
async function pick(
  scope: Page | Locator,
  label: string,
  person: { name: string },
  how: 'mouse' | 'keyboard' = 'mouse',
): Promise<void> {
  const box = scope.getByRole('combobox', { name: label, exact: true });
  const family = person.name.split(' ').slice(-1)[0]!;
  await box.fill(family);
  const option = scope.getByRole('option', { name: new RegExp(`^${escape(person.name)}\\b`) });
  await option.waitFor();
  if (how === 'mouse') {
    await option.click();
  } else {
    await expect(box.getAttribute('aria-expanded')).resolves.toBe('true');
    const options = await scope.getByRole('option').allTextContents();
    const index = options.findIndex((text) => text.startsWith(person.name));
    for (let i = 0; i <= index; i++) await box.press('ArrowDown');
    await expect(box.getAttribute('aria-activedescendant')).resolves.toBe(await option.getAttribute('id'));
    await box.press('Enter');
  }
  await expect(box.inputValue()).resolves.toBe(person.name);
  await expect(box.getAttribute('aria-expanded')).resolves.toBe('false');
}

/** What the director's tests need to know about the demo school, read from the API. */
interface School {
  programId: string;
  mentors: Person[];
  exclusions: { student: Ref; mentor: Ref; reason: string }[];
}

async function readSchool(page: Page): Promise<School> {
  const session = await api<{ user: { roles: { role: string; programId: string; programName: string }[] } }>(
    page,
    '/api/auth/session',
  );
  const programId = session.user.roles.find((grant) => grant.programName === LMP)!.programId;
  const { items: mentors } = await api<{ items: Person[] }>(
    page,
    `/api/people?role=mentor&programId=${programId}&limit=200`,
  );
  const { exclusions } = await api<School>(page, `/api/programs/${programId}/exclusions`);
  return { programId, mentors, exclusions };
}

/** A mentor of the program whom the firewall and the program's exclusions allow for this student. */
async function allowedMentor(page: Page, school: School, student: Ref, not: string[] = []): Promise<Person> {
  for (const mentor of school.mentors) {
    // Dr. Okafor's mentees stay as the demo has them, for the mentor's own flow.
    if (not.includes(mentor.id) || mentor.email === 'mentor@demo.medmentor.test') continue;
    if (school.exclusions.some((e) => e.student.id === student.id && e.mentor.id === mentor.id)) continue;
    const { total } = await api<{ total: number }>(
      page,
      `/api/assessments?studentId=${student.id}&assessorId=${mentor.id}&limit=1`,
    );
    if (total === 0) return mentor;
  }
  throw new Error(`No mentor may mentor ${student.name}`);
}

describe('the firewall for a program director', () => {
  let conflict: { id: string; reason: string; student: Ref; mentor: Ref };
  let newMentor: Person;

  it('shows the open conflict in the navigation, on the home page and in the queue', async () => {
    const page = await flow.openAs(DIRECTOR);
    const school = await readSchool(page);
    const { conflicts } = await api<{ conflicts: (typeof conflict)[] }>(
      page,
      `/api/programs/${school.programId}/conflicts?status=open`,
    );
    expect(conflicts).toHaveLength(1);
    conflict = conflicts[0]!;

    // The count is read with the link ("Conflicts 1 open") and the home page points to the queue.
    await nav(page).getByRole('link', { name: 'Conflicts 1 open', exact: true }).waitFor();
    const programCard = page.getByRole('article', { name: LMP });
    await programCard.getByText('1 pair needs your decision').waitFor();

    await goTo(page, /^Conflicts/, 'Conflict queue');
    await chooseProgram(page, LMP);
    const card = page.getByRole('article', { name: new RegExp(escape(conflict.student.name)) });
    await card.waitFor();
    await heading(card, 2, `${conflict.student.name} with mentor ${conflict.mentor.name}`).waitFor();
    await card.getByText(conflict.reason).waitFor();
    await card.getByText('Detected').waitFor();
    const filter = page.getByRole('group', { name: 'Which conflicts to show' });
    await expect(filter.getByRole('link', { name: 'Open' }).getAttribute('aria-current')).resolves.toBe('true');
    await noProblems(page, 'conflicts-open');
  });

  it('resolves the conflict by reassigning the student, with the keyboard', async () => {
    const page = await flow.openAs(DIRECTOR);
    const school = await readSchool(page);
    newMentor = await allowedMentor(page, school, conflict.student, [conflict.mentor.id]);

    await page.goto(`${flow.url}/conflicts?program=${school.programId}`);
    const card = page.getByRole('article', { name: new RegExp(escape(conflict.student.name)) });
    await card.getByRole('button', { name: `Resolve the conflict of ${conflict.student.name}` }).click();
    const reassign = card.getByRole('radio', { name: new RegExp(`^Reassign ${escape(conflict.student.name)}`) });
    await expect(reassign.isChecked()).resolves.toBe(true);
    await expectFocus(page, { tag: 'input' });

    // Sending without a mentor names the missing choice at the field.
    await card.getByRole('button', { name: 'Reassign student' }).click();
    await card.getByText('Choose the new mentor from the list').waitFor();
    const picker = card.getByRole('combobox', { name: 'New mentor' });
    await expect(picker.getAttribute('aria-invalid')).resolves.toBe('true');

    // The current mentor is never offered.
    await picker.fill(conflict.mentor.name.split(' ').slice(-1)[0]!);
    await page
      .locator('[role="status"]', { hasText: /match|No one/ })
      .first()
      .waitFor();
    await expect
      .poll(() => card.getByRole('option', { name: new RegExp(`^${escape(conflict.mentor.name)}\\b`) }).count())
      .toBe(0);
    // Every mentor of the program is offered as the list opens.
    await picker.fill('');
    await card.getByRole('option').first().waitFor();
    await expectNoSeriousA11yViolations(page);
    await saveScreenshot(page, 'conflicts-mentor-picker', { fullPage: false });

    await pick(card, 'New mentor', newMentor, 'keyboard');
    await expectNoSeriousA11yViolations(page);
    await card.getByLabel('Note (optional)').fill('Moved before the Internal Medicine block starts.');
    await saveScreenshot(page, 'conflicts-resolve-form');
    await card.getByRole('button', { name: 'Reassign student' }).click();

    const success = page.locator('.alert-success', {
      hasText: `${conflict.student.name} is now paired with ${newMentor.name}.`,
    });
    await success.waitFor();
    await expectFocus(page, { text: expect.stringContaining('is now paired with') });
    await heading(page, 2, 'No open conflicts').waitFor();
    // The count in the navigation follows at once.
    await nav(page).getByRole('link', { name: 'Conflicts', exact: true }).waitFor();

    await page.getByRole('group', { name: 'Which conflicts to show' }).getByRole('link', { name: 'Resolved' }).click();
    const resolved = page.getByRole('table', { name: /resolved conflict/ });
    const row = resolved.getByRole('row', { name: new RegExp(escape(conflict.student.name)) });
    await row.getByText('Reassigned').waitFor();
    await row.getByText('“Moved before the Internal Medicine block starts.”').waitFor();
    await noProblems(page, 'conflicts-resolved');

    // The student's pairings now show the new mentor, and the old one as ended.
    await page.goto(`${flow.url}/pairings?program=${school.programId}`);
    await page.getByLabel('Search by name or email').fill(conflict.student.name.split(' ').slice(-1)[0]!);
    await page.getByLabel('Status').selectOption({ label: 'All' });
    const table = page.getByRole('table', { name: `Pairings in ${LMP}` });
    const student = escape(conflict.student.name);
    await table.getByRole('row', { name: new RegExp(`^${student}.*${escape(newMentor.name)}.*Active`) }).waitFor();
    await table.getByRole('row', { name: new RegExp(`^${student}.*${escape(conflict.mentor.name)}.*Ended`) }).waitFor();
  });

  it('pairs an unmatched student with a mentor', async () => {
    const page = await flow.openAs(DIRECTOR);
    const school = await readSchool(page);
    const kwame = school.exclusions.find((e) => e.student.name === 'Kwame Mensah')!.student;
    const mentor = await allowedMentor(page, school, kwame);

    await goTo(page, 'Pairings', 'Pairings');
    await chooseProgram(page, LMP);
    const newPairing = page.getByRole('button', { name: 'New pairing' });
    // Cancel closes the form and gives focus back to the button that opened it.
    await newPairing.click();
    await page.getByRole('form', { name: 'New pairing' }).getByRole('button', { name: 'Cancel' }).click();
    await expectFocus(page, { text: 'New pairing' });
    await expect(newPairing.getAttribute('aria-expanded')).resolves.toBe('false');
    await newPairing.click();
    await expect(newPairing.getAttribute('aria-expanded')).resolves.toBe('true');
    const form = page.getByRole('form', { name: 'New pairing' });
    await pick(form, 'Student', kwame);
    await pick(form, 'Mentor', mentor);
    await expect(form.getByLabel('Type of mentoring').inputValue()).resolves.toBe('general');
    await expect(form.getByLabel('Starts on').inputValue()).resolves.toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await expectNoSeriousA11yViolations(page);
    await form.getByRole('button', { name: 'Create pairing' }).click();

    await page.locator('.alert-success', { hasText: `Kwame Mensah is now paired with ${mentor.name}.` }).waitFor();
    await expectFocus(page, { text: expect.stringContaining('Kwame Mensah') });
    await page.getByLabel('Search by name or email').fill('Mensah');
    const table = page.getByRole('table', { name: `Pairings in ${LMP}` });
    await table.getByRole('row', { name: new RegExp(`Kwame Mensah.*${escape(mentor.name)}.*Active`) }).waitFor();
    await page.getByText(/^1 pairing$/).waitFor();
    await noProblems(page, 'pairings-created');
  });

  it('refuses a mentor who assesses the student, and says which relationship', async () => {
    const page = await flow.openAs(DIRECTOR);
    const school = await readSchool(page);
    // A rotation of the schedule whose ward attending is also a mentor in the program.
    const mentorIds = new Set(school.mentors.map((m) => m.id));
    const { relationships } = await api<{
      relationships: { kind: string; context: string; assessor: Ref; student: Ref | null }[];
    }>(page, '/api/assessments?kind=rotation&limit=500');
    const rotation = relationships.find((r) => r.student && mentorIds.has(r.assessor.id))!;
    expect(rotation).toBeDefined();

    await page.goto(`${flow.url}/pairings?program=${school.programId}`);
    await page.getByRole('button', { name: 'New pairing' }).click();
    const form = page.getByRole('form', { name: 'New pairing' });
    await pick(form, 'Student', rotation.student!);
    await pick(form, 'Mentor', rotation.assessor);
    await form.getByRole('button', { name: 'Create pairing' }).click();

    const mentorField = form.getByRole('combobox', { name: 'Mentor', exact: true });
    const refusal = form.locator('.field-error', { hasText: 'This pairing is not allowed' });
    await refusal.waitFor();
    await refusal.getByText(`The mentor assesses this student — rotation: ${rotation.context}`).waitFor();
    await expect(mentorField.getAttribute('aria-invalid')).resolves.toBe('true');
    // The reason is read with the field, and focus is on it.
    const describedBy = (await mentorField.getAttribute('aria-describedby'))!.split(' ');
    await expect(refusal.getAttribute('id')).resolves.toBe(describedBy.find((id) => id.endsWith('-error')));
    await expectFocus(page, { name: 'mentor' });
    await noProblems(page, 'pairings-refused');

    // The program's own exclusion is named the same way.
    const excluded = school.exclusions.find((e) => e.student.name === 'Kwame Mensah')!;
    await pick(form, 'Student', excluded.student);
    await pick(form, 'Mentor', excluded.mentor);
    await form.getByRole('button', { name: 'Create pairing' }).click();
    await form.getByText(`The program excludes this pair — ${excluded.reason}`).waitFor();
  });

  it('ends a pairing after asking why, in a dialog', async () => {
    const page = await flow.openAs(DIRECTOR);
    await goTo(page, 'Pairings', 'Pairings');
    await chooseProgram(page, 'Career Advising Program');
    const table = page.getByRole('table', { name: 'Pairings in Career Advising Program' });
    const endButton = table.getByRole('button', { name: /^End pairing of / }).first();
    const name = (await endButton.textContent())!.replace(/^End pairing\s*of /, '').trim();

    await endButton.click();
    const dialog = page.getByRole('dialog', { name: 'End this pairing?' });
    await dialog.waitFor();
    await expectFocus(page, { name: 'reason' });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await expectFocus(page, { text: expect.stringContaining('End pairing') });

    await endButton.click();
    await dialog.getByRole('button', { name: 'End pairing' }).click();
    await dialog.getByText('Say why the pairing ends').waitFor();
    await expectNoSeriousA11yViolations(page);
    await saveScreenshot(page, 'pairings-end-dialog', { fullPage: false });
    await dialog.getByLabel('Reason').fill('The student asked for a career advisor in another specialty.');
    await dialog.getByRole('button', { name: 'End pairing' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const [student] = name.split(' and ');
    await page.locator('.alert-success', { hasText: `The pairing of ${student}` }).waitFor();
    await expectFocus(page, { text: expect.stringContaining('has ended') });
    expectNoPageErrors(page);
  });

  it('checks an assessment file, lists each problem by row and column, and imports a valid one', async () => {
    const page = await flow.openAs(DIRECTOR);
    await goTo(page, 'Assessments', 'Assessment relationships');
    await page
      .getByText('external_id,assessor_email,kind,student_email,cohort_year,course_code,context,starts_on,ends_on')
      .waitFor();
    const header = 'external_id,assessor_email,kind,student_email,cohort_year,course_code,context,starts_on,ends_on';
    const bad = [
      header,
      'ROT-T-1,assessor@demo.medmentor.test,rotation,student.unmatched@demo.medmentor.test,,,Pediatrics shadowing,2027-01-04,2027-01-29',
      'ROT-T-2,assessor@demo.medmentor.test,rotation,student.unmatched@demo.medmentor.test,,,Pediatrics clinic,2027-13-01,',
    ].join('\n');
    const file = page.getByLabel('CSV file');
    await file.setInputFiles({ name: 'schedule.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    const check = page.getByRole('button', { name: 'Check file' });
    const importButton = page.getByRole('button', { name: 'Import', exact: true });
    await expect(importButton.isDisabled()).resolves.toBe(true);
    await check.click();

    await page.locator('.alert-error', { hasText: 'schedule.csv has 1 problem' }).waitFor();
    const problems = page.getByRole('table', { name: 'Problems in the file' });
    await expect
      .poll(() => problems.getByRole('columnheader').allTextContents())
      .toEqual(['Row', 'Column', 'Value', 'Problem']);
    const problem = problems.getByRole('row', { name: /^3 / });
    await expect
      .poll(() => problem.getByRole('cell').allTextContents())
      .toEqual(['starts_on', '2027-13-01', 'Not a date; write it as YYYY-MM-DD']);
    await expect(importButton.isDisabled()).resolves.toBe(true);
    await noProblems(page, 'assessments-check-errors');

    // The corrected file: one new rotation, and a row that makes Sofia's mentor her assessor.
    const good = [
      header,
      'ROT-T-1,assessor@demo.medmentor.test,rotation,student.unmatched@demo.medmentor.test,,,Pediatrics shadowing,2027-01-04,2027-01-29',
      'ROT-T-3,mentor@demo.medmentor.test,rotation,student@demo.medmentor.test,,,Family Medicine clinic,2027-03-01,2027-03-26',
    ].join('\n');
    await file.setInputFiles({ name: 'schedule-fixed.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
    await expect.poll(() => page.getByRole('table', { name: 'Problems in the file' }).count()).toBe(0);
    await check.click();
    await page.locator('.alert-success', { hasText: 'schedule-fixed.csv is ready to import.' }).waitFor();
    const flagged = page.getByRole('table', { name: 'Pairings the file would flag' });
    await flagged.getByRole('row', { name: /Sofia Ramirez.*Amara Okafor/ }).waitFor();
    await expect(importButton.isEnabled()).resolves.toBe(true);
    await noProblems(page, 'assessments-check-valid');

    // The checks wrote nothing. A file without Sofia's row is imported for real (hers would put her
    // pair in the conflict queue for the flows after this one).
    await expect(
      apiPost<{ total: number }>(page, '/api/assessments/search', { search: 'shadowing', limit: 1 }),
    ).resolves.toMatchObject({ total: 0 });
    await file.setInputFiles({
      name: 'schedule-pediatrics.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(good.split('\n').slice(0, 2).join('\n')),
    });
    await expect(importButton.isDisabled()).resolves.toBe(true);
    await check.click();
    await page.locator('.alert-success', { hasText: 'schedule-pediatrics.csv is ready to import.' }).waitFor();
    await importButton.click();
    await page.locator('.alert-success', { hasText: 'Imported 1 row.' }).waitFor();
    await expectFocus(page, { text: expect.stringContaining('Imported 1 row.') });
    await page.getByLabel('Search by name, email or context').fill('shadowing');
    const list = page.getByRole('table', { name: 'Assessment relationships' });
    await page.getByText(/^1 relationship$/).waitFor();
    await list.getByRole('row', { name: /Robert Lindqvist.*Kwame Mensah.*Pediatrics shadowing/ }).waitFor();
    await expect.poll(() => list.locator('tbody tr').count()).toBe(1);
    expectNoPageErrors(page);
  });

  it('lists, adds and removes program exclusions', async () => {
    const page = await flow.openAs(DIRECTOR);
    const school = await readSchool(page);
    await goTo(page, 'Exclusions', 'Program exclusions');
    await chooseProgram(page, LMP);
    const table = page.getByRole('table', { name: 'Excluded pairs, newest first' });
    await table.getByRole('row', { name: /Kwame Mensah/ }).waitFor();
    await expect.poll(() => table.locator('tbody tr').count()).toBe(2);

    const form = page.getByRole('form', { name: 'Exclude a pair' });
    await form.getByRole('button', { name: 'Add exclusion' }).click();
    await form.getByText('Choose a student from the list').waitFor();
    await expectFocus(page, { name: 'student' });

    // Any mentor but Kwame's own (a current pair cannot be excluded before it ends).
    const { pairings } = await apiPost<{ pairings: { mentor: Ref }[] }>(
      page,
      `/api/programs/${school.programId}/pairings/search`,
      { status: 'active', search: 'Mensah' },
    );
    const mentor = school.mentors.find(
      (m) => !pairings.some((p) => p.mentor.id === m.id) && !school.exclusions.some((e) => e.mentor.id === m.id),
    )!;
    await pick(form, 'Student', { name: 'Kwame Mensah' });
    await pick(form, 'Mentor', mentor);
    await form.getByLabel('Reason').fill('Mentor is a family friend');
    await form.getByRole('button', { name: 'Add exclusion' }).click();
    await page.locator('.alert-success', { hasText: `Kwame Mensah and ${mentor.name} will never be paired` }).waitFor();
    const row = table.getByRole('row', { name: new RegExp(`Kwame Mensah.*${escape(mentor.name)}`) });
    await row.waitFor();
    await noProblems(page, 'exclusions');

    await row.getByRole('button', { name: `Remove the exclusion of Kwame Mensah and ${mentor.name}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove this exclusion?' });
    // The safe choice has focus first.
    await expectFocus(page, { text: 'Cancel' });
    await expectNoSeriousA11yViolations(page);
    await dialog.getByRole('button', { name: 'Remove exclusion' }).click();
    await page.locator('.alert-success', { hasText: `Kwame Mensah and ${mentor.name} may be paired again.` }).waitFor();
    await row.waitFor({ state: 'detached' });
    await expect.poll(() => table.locator('tbody tr').count()).toBe(2);
  });

  it('shows the program’s record of access for audits', async () => {
    // Dr. Okafor opens a meeting record of Sofia's: a read that goes to Sofia's record of access.
    const mentorPage = await flow.openAs('mentor@demo.medmentor.test');
    const { asMentor } = await api<{ asMentor: { id: string; student: Ref; status: string }[] }>(
      mentorPage,
      '/api/me/pairings',
    );
    const sofia = asMentor.find((p) => p.student.name === 'Sofia Ramirez' && p.status === 'active')!;
    const meeting = await apiPost<{ id: string }>(mentorPage, `/api/pairings/${sofia.id}/meetings`, {
      startsAt: '2026-12-03T15:00:00Z',
      durationMinutes: 45,
    });
    await api(mentorPage, `/api/meetings/${meeting.id}`);

    const page = await flow.openAs(DIRECTOR);
    await goTo(page, 'Access audit', 'Access audit');
    await chooseProgram(page, LMP);
    const table = page.getByRole('table', { name: /entr(y|ies), newest first/ });
    await expect
      .poll(() => table.getByRole('columnheader').allTextContents())
      .toEqual(['When', 'Student', 'Who', 'What', 'Why']);
    const row = table.getByRole('row', { name: /Sofia Ramirez/ }).first();
    await expect
      .poll(() => row.getByRole('cell').allTextContents())
      .toEqual([
        expect.any(String),
        'Amara Okafor',
        // What was read, how, and (shown here only on a phone) why.
        expect.stringMatching(/^Meeting recordViewed/),
        'mentor opened the meeting',
      ]);
    await noProblems(page, 'program-access-log');
  });
});

describe('the firewall for students and mentors', () => {
  it('shows the newly paired student their mentor under My mentorship', async () => {
    const page = await flow.openAs(UNMATCHED);
    await expect.poll(() => nav(page).getByRole('link', { name: 'Pairings' }).count()).toBe(0);
    await goTo(page, 'My mentorship', 'My mentorship');
    const { asStudent } = await api<{ asStudent: { mentor: Ref; status: string }[] }>(page, '/api/me/pairings');
    const mentor = asStudent.find((p) => p.status === 'active')!.mentor;
    const card = page.getByRole('article', { name: mentor.name });
    await card.getByText(LMP).waitFor();
    await card.getByText('General mentor').waitFor();
    await noProblems(page, 'my-mentorship-student');
  });

  it('shows a student their current mentor', async () => {
    const page = await flow.openAs('student@demo.medmentor.test');
    await goTo(page, 'My mentorship', 'My mentorship');
    const card = page.getByRole('article', { name: 'Amara Okafor' });
    await card.getByRole('link', { name: 'mentor@demo.medmentor.test' }).waitFor();
    await card.getByText('August 1, 2024').waitFor();
    await expectNoSeriousA11yViolations(page);
  });

  it('shows a mentor their mentees', async () => {
    const page = await flow.openAs('mentor@demo.medmentor.test');
    await goTo(page, 'My mentorship', 'My mentorship');
    const table = page.getByRole('table', { name: 'Your current mentees' });
    await table.getByRole('rowheader', { name: /Sofia Ramirez/ }).waitFor();
    await expect.poll(() => table.locator('tbody tr').count()).toBe(5);
    await noProblems(page, 'my-mentorship-mentor');
  });

  it('lets a student download everything medmentor holds about them', async () => {
    const page = await flow.openAs('student@demo.medmentor.test');
    await goTo(page, 'Who viewed my records', 'Who viewed my records');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download my data' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('medmentor-my-data.json');
    const saved = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { profile: { email: string } };
    expect(saved.profile.email).toBe('student@demo.medmentor.test');
    await page.getByText('Your data was saved as medmentor-my-data.json.').waitFor();
    await noProblems(page, 'access-log-student-download');
  });

  it('tells a student that the director’s pages are not for them', async () => {
    const page = await flow.openAs('student@demo.medmentor.test');
    for (const path of ['/pairings', '/conflicts', '/exclusions', '/assessments', '/program-access-log']) {
      await page.goto(`${flow.url}${path}`);
      await heading(page, 2, /^This page is for /).waitFor();
    }
    await expectNoSeriousA11yViolations(page);
  });
});

describe('the firewall pages on a phone', () => {
  for (const [path, title] of [
    ['/pairings', 'Pairings'],
    ['/conflicts?status=resolved', 'Conflict queue'],
    ['/assessments', 'Assessment relationships'],
  ] as const) {
    it(`fits ${title} on a phone`, async () => {
      const page = await flow.openAs(DIRECTOR, PHONE);
      await page.goto(`${flow.url}${path}`);
      await heading(page, 1, title).waitFor();
      await page.locator('table, .empty-state').first().waitFor();
      const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
      expect(overflow).toBeLessThanOrEqual(0);
      await noProblems(page, `${path.slice(1).replace(/\?.*/, '')}-phone`);
    });
  }
});
