import { describe, expect, it } from 'vitest';
import { noProblems, setUpBrowserFlow } from './support.ts';

/**
 * Change of mentor in the browser: the demo student reads what her mentor sees, asks for another
 * mentor with a comment for the director; the director finds the request in the queue with the
 * seeded ones, accepts the proposed mentor; the previous mentor is told only that the pairing
 * ended, and finds the form to ask for a pairing to end.
 */

const STUDENT = 'student@demo.medmentor.test';
const MENTOR = 'mentor@demo.medmentor.test';
const DIRECTOR = 'director@demo.medmentor.test';
const LMP = 'Longitudinal Mentorship Program';
const COMMENT = 'I would like a mentor who knows surgery; nothing is wrong.';

const flow = setUpBrowserFlow();

describe('change of mentor', () => {
  it('a student asks, the director re-matches, the previous mentor learns only that the pairing ended', async () => {
    const student = await flow.openAs(STUDENT);
    await student.getByRole('link', { name: 'What my mentor sees' }).click();
    await student.getByRole('heading', { level: 1, name: 'What my mentor sees' }).waitFor();
    await student.getByRole('heading', { name: 'Records your mentor sees today' }).waitFor();
    await student.getByRole('heading', { name: 'What went beyond your mentor' }).waitFor();
    await noProblems(student, 'transparency-what-my-mentor-sees');

    await student.getByRole('link', { name: 'Change of mentor' }).click();
    await student.getByRole('heading', { level: 1, name: 'Ask for a different mentor' }).waitFor();
    await student.getByLabel('Comment for the program director (optional)').fill(COMMENT);
    await student.getByRole('checkbox', { name: /Let my new mentor read the shared summaries/ }).check();
    await student.getByRole('button', { name: 'Send my request' }).click();
    await student.getByText('Your request is with the program director.').waitFor();
    await student.getByRole('button', { name: 'Withdraw my request' }).waitFor();
    await noProblems(student, 'pairing-change-requested');

    const director = await flow.openAs(DIRECTOR);
    await director.getByRole('link', { name: 'Mentor changes' }).click();
    await director.getByRole('heading', { level: 1, name: 'Change-of-mentor queue' }).waitFor();
    await director.getByLabel('Program', { exact: true }).selectOption({ label: LMP });
    await director.getByRole('cell', { name: COMMENT }).waitFor();
    // The seeded mentor's request waits too, with its reason.
    await director.getByRole('cell', { name: /research sabbatical/ }).waitFor();
    await noProblems(director, 'pairing-change-queue');

    await director.getByRole('button', { name: 'Decide the request about Sofia Ramirez' }).click();
    await director.getByRole('heading', { name: 'A new mentor for Sofia Ramirez' }).waitFor();
    await director.getByText(/^Proposed: /).waitFor();
    await noProblems(director, 'pairing-change-decide');
    await director.getByRole('button', { name: 'Accept the proposal' }).click();
    await director.getByText(/Sofia Ramirez now has .+ as mentor\./).waitFor();

    const mentor = await flow.openAs(MENTOR);
    await mentor.goto(`${flow.url}/notifications`);
    await mentor.getByText('Your mentoring pairing with Sofia Ramirez has ended').first().waitFor();
    await expect.poll(() => mentor.getByText(COMMENT).count()).toBe(0);
    await mentor.getByRole('link', { name: 'End a pairing' }).click();
    await mentor.getByRole('heading', { level: 1, name: 'Ask the director to end a pairing' }).waitFor();
    // Sending without a choice names both fields.
    await mentor.getByRole('button', { name: 'Send to the director' }).click();
    await mentor.getByText('Choose the mentee').waitFor();
    await mentor.getByText('Write a reason for the director').first().waitFor();
    await noProblems(mentor, 'pairing-end-request-form');
  });
});
