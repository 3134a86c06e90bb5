import { describe, it } from 'vitest';
import { noProblems, setUpBrowserFlow } from './support.ts';

/**
 * Safety escalation and consent in the browser: the demo mentor asks the wellbeing contact for
 * help with Sofia Ramirez (a missing reason is named at its field); the contact opens exactly what
 * was shared and renews access with a reason; Sofia sees the escalation and the contact's look,
 * and renews a sharing choice; the director sees counts only.
 */

const MENTOR = 'mentor@demo.medmentor.test';
const CONTACT = 'wellbeing@demo.medmentor.test';
const STUDENT = 'student@demo.medmentor.test';
const DIRECTOR = 'director@demo.medmentor.test';
const REASON = 'Sofia told me she has not slept properly for weeks and feels she cannot go on like this.';

const flow = setUpBrowserFlow();

describe('safety escalation and consent', () => {
  it('the mentor escalates, the contact reads and renews, the student sees it, the director counts', async () => {
    const mentor = await flow.openAs(MENTOR);
    await mentor.getByRole('link', { name: 'My mentorship' }).click();
    await mentor.getByRole('link', { name: 'Safety concern about Sofia Ramirez' }).click();
    await mentor.getByRole('heading', { level: 1, name: 'Safety concern' }).waitFor();
    await mentor
      .getByLabel('Wellbeing contact', { exact: true })
      .selectOption({ label: 'Grace Whitaker, Director of Student Wellbeing' });
    await mentor.getByRole('button', { name: 'Send to the wellbeing contact' }).click();
    await mentor.locator('.field-error', { hasText: 'Write what you learned' }).waitFor();
    await noProblems(mentor, 'safety-escalate-missing-reason');

    await mentor.getByLabel('Reason', { exact: true }).fill(REASON);
    await mentor.getByRole('checkbox', { name: /The development plan/ }).check();
    await mentor.getByRole('button', { name: 'Send to the wellbeing contact' }).click();
    await mentor.locator('.alert-success', { hasText: 'Sent to Grace Whitaker' }).waitFor();
    await mentor
      .getByRole('table', { name: 'Escalations you made' })
      .getByRole('row', { name: /Grace Whitaker/ })
      .waitFor();
    await noProblems(mentor, 'safety-escalate-sent');

    const contact = await flow.openAs(CONTACT);
    await contact.getByRole('link', { name: 'Safety escalations for me' }).click();
    await contact.getByRole('heading', { level: 1, name: 'Safety escalations for me' }).waitFor();
    await noProblems(contact, 'safety-inbox');
    await contact.getByRole('link', { name: 'Sofia Ramirez' }).click();
    await contact.getByRole('heading', { level: 1, name: /Safety escalation: Sofia Ramirez/ }).waitFor();
    await contact.getByText(REASON).waitFor();
    await contact.getByRole('heading', { level: 2, name: 'Development plan' }).waitFor();
    await contact.getByRole('button', { name: 'Renew access' }).click();
    await contact.locator('.field-error', { hasText: 'Write why you need more time' }).waitFor();
    await contact.getByLabel('Why you need more time').fill('Sofia asked for two more weeks of check-ins.');
    await contact.getByRole('button', { name: 'Renew access' }).click();
    await contact.locator('.alert-success', { hasText: 'Renewed until' }).waitFor();
    await noProblems(contact, 'safety-escalation', { fullPage: true });

    const student = await flow.openAs(STUDENT);
    await student.getByRole('link', { name: 'Safety escalations about me' }).click();
    await student.getByRole('heading', { level: 2, name: /Amara Okafor asked Grace Whitaker/ }).waitFor();
    await student.getByText(/Renewed/).waitFor();
    await noProblems(student, 'safety-my-escalations');
    await student.getByRole('link', { name: 'Who viewed my records', exact: true }).click();
    await student.getByRole('cell', { name: 'wellbeing contact opened what the mentor shared' }).first().waitFor();

    await student.goto(`${flow.url}/records/sharing`);
    await student.getByRole('heading', { level: 1, name: 'Sharing my records' }).waitFor();
    const professionalism = student.getByRole('group', { name: 'Professionalism reports' });
    await professionalism.getByText(/we remind you on/).waitFor();
    await professionalism.getByRole('button', { name: /^Renew until/ }).click();
    await student.locator('.alert-success', { hasText: 'Renewed: your mentor sees professionalism reports' }).waitFor();
    await noProblems(student, 'safety-consent-renewed');

    const director = await flow.openAs(DIRECTOR);
    await director.getByRole('link', { name: 'Safety escalations' }).click();
    await director.getByRole('heading', { level: 1, name: 'Safety escalations' }).waitFor();
    await director.getByLabel('Program', { exact: true }).selectOption({ label: 'Longitudinal Mentorship Program' });
    await director.getByRole('table', { name: 'Escalations and renewals per month' }).waitFor();
    await director.getByText('Grace Whitaker').first().waitFor();
    await noProblems(director, 'safety-program', { fullPage: true });
  });
});
