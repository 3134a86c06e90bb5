import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { activeElement, api, noProblems, PHONE, saveScreenshot, setUpBrowserFlow } from './support.ts';

/**
 * Mentoring in the browser, as the demo pair (Sofia Ramirez and Dr. Amara Okafor): a meeting's
 * record with the mentor's private notes kept from the student, the agenda, proposing a meeting,
 * notifications and their email settings, and the development plan. The flows run in order
 * against one demo school.
 */

const STUDENT = 'student@demo.medmentor.test';
const MENTOR = 'mentor@demo.medmentor.test';
const PRIVATE_TEXT = 'Sofia is anxious';

interface MeetingSummary {
  id: string;
  status: string;
  startsAt: string;
}

const flow = setUpBrowserFlow();
let pastMeetingId: string;
let upcomingMeetingId: string;

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

/** Every text on the page, the values of its fields included. */
async function everything(page: Page): Promise<string> {
  return page.evaluate<string>(`(() => {
    const fields = [...document.querySelectorAll('input, textarea')].map((el) => el.value);
    return document.body.innerText + '\\n' + fields.join('\\n');
  })()`);
}

async function openMeeting(page: Page, meetingId: string): Promise<void> {
  await page.goto(`${flow.url}/meetings/${meetingId}`);
  await page.getByRole('heading', { level: 1, name: /^Meeting on / }).waitFor();
  await page.getByRole('heading', { level: 2, name: 'Agenda' }).waitFor();
}

/** The value an <input type="datetime-local"> takes for a moment some days ahead, in the browser's zone. */
function localDateTimeInDays(days: number): string {
  const date = new Date(Date.now() + days * 86_400_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T10:00`;
}

describe('a meeting', () => {
  it('shows the mentor their private notes, clearly marked private', async () => {
    const page = await flow.openAs(MENTOR);
    const { asMentor } = await api<{ asMentor: { id: string; student: { email: string } }[] }>(
      page,
      '/api/me/pairings',
    );
    const pairing = asMentor.find((p) => p.student.email === STUDENT)!;
    const { meetings } = await api<{ meetings: MeetingSummary[] }>(page, `/api/pairings/${pairing.id}/meetings`);
    const byTime = [...meetings].sort((a, b) => a.startsAt.localeCompare(b.startsAt));
    pastMeetingId = byTime.find((m) => m.status === 'completed')!.id;
    upcomingMeetingId = byTime.find((m) => m.status === 'scheduled')!.id;

    // From My mentorship: the pair's cadence and meetings, each linking to its page.
    await nav(page).getByRole('link', { name: 'My mentorship' }).click();
    const card = page.getByRole('region', { name: 'Meetings with Sofia Ramirez' });
    await card.getByText('Meeting requirement').waitFor();
    await card.locator(`a[href="/meetings/${pastMeetingId}"]`).click();
    await page.getByRole('heading', { level: 1, name: /^Meeting on / }).waitFor();

    await page.getByText('Private — only you can see this').waitFor();
    await expect(page.getByRole('textbox', { name: 'Private notes' }).inputValue()).resolves.toContain(PRIVATE_TEXT);
    await page.getByText('Completed', { exact: true }).waitFor();
    // The mentor reads the student's reflection but cannot change it.
    await page.getByText('I had not thought of asking for feedback early.', { exact: false }).waitFor();
    await expect.poll(() => page.getByRole('textbox', { name: 'Reflection' }).count()).toBe(0);
    await noProblems(page, 'meeting-mentor');
  });

  it('never shows the student the mentor’s private notes', async () => {
    const page = await flow.openAs(STUDENT);
    const detail = await api<Record<string, unknown>>(page, `/api/meetings/${pastMeetingId}`);
    expect(detail).not.toHaveProperty('privateNotes');

    await openMeeting(page, pastMeetingId);
    await page.getByText('Ask each attending for five minutes of feedback', { exact: false }).waitFor();
    await expect(page.getByRole('textbox', { name: 'Reflection' }).inputValue()).resolves.toContain(
      'I had not thought of asking',
    );
    expect(await everything(page)).not.toContain(PRIVATE_TEXT);
    await expect.poll(() => page.getByText('Private — only you can see this').count()).toBe(0);
    await noProblems(page, 'meeting-student');
  });

  it('lets the student add a topic to the upcoming meeting’s agenda', async () => {
    const page = flow.page;
    await openMeeting(page, upcomingMeetingId);
    await page.getByRole('link', { name: 'Add to calendar' }).waitFor();
    await expect(page.getByRole('link', { name: 'Add to calendar' }).getAttribute('href')).resolves.toBe(
      `/api/meetings/${upcomingMeetingId}/invite.ics`,
    );
    await page.getByLabel('Add a topic').fill('Away rotations: when to apply');
    await page.getByRole('button', { name: 'Add to agenda' }).click();
    const agenda = page.getByRole('list', { name: 'Agenda items' });
    await agenda.getByText('Away rotations: when to apply').waitFor();
    await expect(agenda.getByRole('listitem').last().textContent()).resolves.toContain('Added by student');
    await expect(page.getByLabel('Add a topic').inputValue()).resolves.toBe('');
    await noProblems(page, 'meeting-upcoming-student');
  });

  it('says so when someone else changed the meeting first, and reloads it', async () => {
    const page = flow.page;
    await openMeeting(page, upcomingMeetingId);
    await page.getByRole('textbox', { name: 'Summary' }).fill('My version of the summary');
    // Meanwhile the mentor (here: the same session, straight through the API) changes the meeting.
    await page.evaluate(async (id) => {
      const session = (await (await fetch('/api/auth/session')).json()) as { csrfToken: string };
      const meeting = (await (await fetch(`/api/meetings/${id}`)).json()) as { version: number };
      const response = await fetch(`/api/meetings/${id}`, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrfToken },
        body: JSON.stringify({ version: meeting.version, nextSteps: 'Their next steps' }),
      });
      if (!response.ok) throw new Error(`PATCH failed: ${response.status}`);
    }, upcomingMeetingId);
    await page.getByRole('button', { name: 'Save summary' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Someone else changed this meeting; reload' });
    await alert.waitFor();
    await saveScreenshot(page, 'meeting-stale', { fullPage: false });
    await alert.getByRole('button', { name: 'Reload' }).click();
    await alert.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByRole('textbox', { name: 'Next steps' }).inputValue()).toBe('Their next steps');
    await expect(page.getByRole('textbox', { name: 'Summary' }).inputValue()).resolves.toBe('');
  });

  it('lets the student propose a meeting from My mentorship', async () => {
    const page = flow.page;
    await nav(page).getByRole('link', { name: 'My mentorship' }).click();
    const card = page.getByRole('region', { name: 'Meetings with Amara Okafor' });
    await card.getByText('Meeting requirement').waitFor();
    // The demo pair has met before: wait for those meetings before counting them.
    const meetings = card.getByRole('list', { name: 'Meetings with Amara Okafor' }).getByRole('listitem');
    await meetings.first().waitFor();
    const before = await meetings.count();
    await card.getByLabel('Date and time').fill(localDateTimeInDays(20));
    await card.getByLabel('Length').selectOption('30');
    await card.getByLabel('Place').fill('Library, group study room 3');
    await card.getByRole('button', { name: 'Propose meeting' }).click();
    await card.getByText('Meeting proposed').waitFor();
    const list = card.getByRole('list', { name: 'Meetings with Amara Okafor' });
    await expect.poll(() => list.getByRole('listitem').count()).toBe(before + 1);
    await list.getByText('Library, group study room 3', { exact: false }).waitFor();
    await list.getByText('Proposed', { exact: true }).waitFor();
    await noProblems(page, 'meetings-my-mentorship-student');
  });
});

describe('notifications', () => {
  it('tells the mentor about the proposal and lets them mark everything read', async () => {
    const page = await flow.openAs(MENTOR);
    const link = nav(page).getByRole('link', { name: /^Notifications \d+ unread$/ });
    await link.waitFor();
    await link.click();
    await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
    await page.getByRole('list', { name: 'Your notifications' }).waitFor();
    await saveScreenshot(page, 'notifications-unread');
    await page.getByRole('button', { name: 'Mark all read' }).click();
    await page.getByText('All read', { exact: true }).waitFor();
    await nav(page).getByRole('link', { name: 'Notifications', exact: true }).waitFor();
    await noProblems(page, 'notifications');
  });

  it('saves which notifications also come by email', async () => {
    const page = flow.page;
    await page.getByRole('link', { name: 'Choose which also come by email' }).click();
    await page.getByRole('heading', { level: 1, name: 'Notification settings' }).waitFor();
    const first = page.getByRole('group', { name: 'Send me an email when' }).getByRole('checkbox').first();
    const was = await first.isChecked();
    await first.setChecked(!was);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved').waitFor();
    await noProblems(page, 'notification-settings');

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Notification settings' }).waitFor();
    const again = page.getByRole('group', { name: 'Send me an email when' }).getByRole('checkbox').first();
    await again.waitFor();
    await expect(again.isChecked()).resolves.toBe(!was);

    await page.getByRole('button', { name: 'Make a calendar address' }).click();
    await expect
      .poll(() => page.getByRole('textbox', { name: 'Your calendar address' }).inputValue())
      .toMatch(/\/api\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    await noProblems(page, 'notification-settings-calendar');
  });
});

describe('the development plan', () => {
  it('shows the student their goals by status, with domains and notes, and takes a new note', async () => {
    const page = await flow.openAs(STUDENT);
    await nav(page).getByRole('link', { name: 'Development plan' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your development plan' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Working on' }).waitFor();
    const goal = page.getByRole('article', { name: 'Give concise oral case presentations' });
    await goal.getByText('Interpersonal and communication skills').waitFor();
    const career = page.getByRole('article', { name: 'Decide between pediatrics and family medicine' });
    await career.getByText('Personal and career').waitFor();

    await goal.getByLabel('Add a progress note').fill('Presented twice on rounds with the new structure.');
    await goal.getByRole('button', { name: 'Add note' }).click();
    await goal.getByText('Presented twice on rounds with the new structure.').waitFor();
    await noProblems(page, 'development-plan');
  });
});

describe('a mentee’s development plan', () => {
  it('is reached by the mentor from My mentorship', async () => {
    const page = await flow.openAs(MENTOR);
    await nav(page).getByRole('link', { name: 'My mentorship' }).click();
    await page.getByRole('link', { name: 'Sofia Ramirez’s development plan' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sofia Ramirez’s development plan' }).waitFor();
    await page.getByRole('article', { name: 'Decide between pediatrics and family medicine' }).waitFor();
    await page.getByText('Presented twice on rounds with the new structure.').waitFor();
    await noProblems(page, 'development-plan-mentor');
  });
});

/** The ISO weekday (1 Monday … 7 Sunday) some days ahead, in the school's time zone. */
function schoolWeekdayInDays(days: number): number {
  const name = new Intl.DateTimeFormat('en-US', { weekday: 'long', timeZone: 'America/New_York' }).format(
    new Date(Date.now() + days * 86_400_000),
  );
  return ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'].indexOf(name) + 1;
}

/** Changes a meeting straight through the API, at its current version, as the other person would meanwhile. */
async function patchMeetingThroughApi(page: Page, meetingId: string, change: Record<string, unknown>): Promise<void> {
  await page.evaluate(
    async ({ url, body }) => {
      const session = (await (await fetch('/api/auth/session')).json()) as { csrfToken: string };
      const current = (await (await fetch(url)).json()) as { version: number };
      const response = await fetch(url, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrfToken },
        body: JSON.stringify({ version: current.version, ...body }),
      });
      if (!response.ok) throw new Error(`PATCH ${url} failed: ${response.status} ${await response.text()}`);
    },
    { url: `/api/meetings/${meetingId}`, body: change },
  );
}

describe('scheduling at a free time', () => {
  let freeMeetingId: string;

  it('lets the mentor set weekly availability, naming a mistake at its field', async () => {
    const page = await flow.openAs(MENTOR);
    await nav(page).getByRole('link', { name: 'Availability' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your meeting availability' }).waitFor();
    await page.getByText('America/New York').waitFor();
    await page.getByText('No weekly times yet', { exact: false }).waitFor();

    await page.getByRole('button', { name: 'Add a time' }).click();
    const first = page.getByRole('group', { name: 'Time 1' });
    // The new time's day takes focus, ready to be chosen.
    await expect.poll(async () => (await activeElement(page)).name).toBe('weekday-0');
    await first.getByLabel('Day').selectOption(String(schoolWeekdayInDays(2)));
    await first.getByLabel('From').fill('09:00');
    await first.getByLabel('Until').fill('08:00');
    await first.getByLabel('Place').fill('Clinic office 4');
    await page.getByRole('button', { name: 'Save availability' }).click();
    await first.getByText('End after the start time').waitFor();
    await expect(first.getByLabel('Until').getAttribute('aria-invalid')).resolves.toBe('true');

    await first.getByLabel('Until').fill('12:00');
    await page.getByRole('button', { name: 'Add a time' }).click();
    const second = page.getByRole('group', { name: 'Time 2' });
    await second.getByLabel('Day').selectOption(String(schoolWeekdayInDays(4)));
    await second.getByLabel('From').fill('13:00');
    await second.getByLabel('Until').fill('15:00');
    await second.getByLabel('Place').fill('');
    await page.getByRole('button', { name: 'Save availability' }).click();
    await page.getByText('Availability saved').waitFor();
    await noProblems(page, 'availability');

    await page.reload();
    await page.getByRole('group', { name: 'Time 2' }).waitFor();
    // Saved and read back in the order of the week, whichever that is.
    const places = await Promise.all(
      ['Time 1', 'Time 2'].map((name) => page.getByRole('group', { name }).getByLabel('Place').inputValue()),
    );
    expect(places.sort()).toEqual(['', 'Clinic office 4']);
  });

  it('lets the mentor propose a meeting at one of their free times', async () => {
    const page = flow.page;
    await nav(page).getByRole('link', { name: 'My mentorship' }).click();
    const card = page.getByRole('region', { name: 'Meetings with Sofia Ramirez' });
    await card.getByText('Meeting requirement').waitFor();
    await card.getByLabel('Length').selectOption('30');
    const picker = card.getByLabel('Your free times');
    await picker.waitFor();
    // Free entry appears only on request.
    await expect.poll(() => card.getByLabel('Date and time').count()).toBe(0);
    const options = await picker
      .locator('option')
      .evaluateAll((els) =>
        els.map((el) => ({ value: (el as unknown as { value: string }).value, text: el.textContent ?? '' })),
      );
    const slot = options.find((o) => o.text.includes('Clinic office 4'))!;
    expect(slot).toBeDefined();
    expect(options.at(-1)?.text).toBe('Another time…');
    await picker.selectOption(slot.value);
    await card.getByText('Leave empty to meet at Clinic office 4.').waitFor();
    await card.getByRole('button', { name: 'Propose meeting' }).click();
    await card.getByText('Meeting proposed').waitFor();
    const href = await card.getByRole('link', { name: 'Open the meeting' }).getAttribute('href');
    freeMeetingId = href!.split('/').at(-1)!;
    const meeting = await api<{ startsAt: string; durationMinutes: number; location: string }>(
      page,
      `/api/meetings/${freeMeetingId}`,
    );
    expect(new Date(meeting.startsAt).toISOString()).toBe(new Date(slot.value).toISOString());
    expect(meeting).toMatchObject({ durationMinutes: 30, location: 'Clinic office 4' });
    // The time taken is no longer offered.
    await expect
      .poll(() =>
        picker.locator('option').evaluateAll((els) => els.map((el) => (el as unknown as { value: string }).value)),
      )
      .not.toContain(slot.value);
    await noProblems(page, 'meetings-free-time-mentor');
  });

  it('lets the student confirm the proposed meeting', async () => {
    const page = await flow.openAs(STUDENT);
    await openMeeting(page, freeMeetingId);
    await page.getByText('Proposed', { exact: true }).waitFor();
    await page.getByText('Clinic office 4').waitFor();
    await page.getByRole('button', { name: 'Confirm meeting' }).click();
    await page.getByText('Scheduled', { exact: true }).waitFor();
    await expect.poll(() => page.getByRole('button', { name: 'Confirm meeting' }).count()).toBe(0);
    await noProblems(page, 'meeting-confirmed-student');
  });

  it('lets the mentor move the meeting, then tick agenda topics covered', async () => {
    const page = await flow.openAs(MENTOR);
    await openMeeting(page, freeMeetingId);
    await page.getByRole('button', { name: 'Change time or place' }).click();
    const dialog = page.getByRole('dialog', { name: 'Change the time or place' });
    await dialog.getByLabel('Video call link').fill('zoom.example/123');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await dialog.getByText('Paste the full link of the call', { exact: false }).waitFor();
    await dialog.getByLabel('Video call link').fill('https://video.example.edu/okafor');
    await dialog.getByLabel('Date and time').fill(localDateTimeInDays(6));
    await dialog.getByLabel('Length').selectOption('60');
    await dialog.getByLabel('Place').fill('Clinic conference room B');
    await saveScreenshot(page, 'meeting-reschedule', { fullPage: false });
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText('Clinic conference room B').waitFor();
    await page.getByText('60 minutes planned').waitFor();
    await page.getByRole('link', { name: /Join the call/ }).waitFor();
    const moved = await api<{ startsAt: string; status: string }>(page, `/api/meetings/${freeMeetingId}`);
    expect(moved.status).toBe('scheduled');
    expect(new Date(moved.startsAt).getTime()).toBeGreaterThan(Date.now() + 5 * 86_400_000);

    const agenda = page.getByRole('list', { name: 'Agenda items' });
    const boxes = agenda.getByRole('checkbox');
    await expect.poll(() => boxes.count()).toBeGreaterThan(1);
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await expect.poll(() => agenda.getByText('Covered', { exact: true }).count()).toBe(2);
    await boxes.nth(1).uncheck();
    await expect.poll(() => agenda.getByText('Covered', { exact: true }).count()).toBe(1);
    await noProblems(page, 'meeting-agenda-covered');

    await page.reload();
    await page.getByRole('heading', { level: 2, name: 'Agenda' }).waitFor();
    await expect(
      page.getByRole('list', { name: 'Agenda items' }).getByRole('checkbox').nth(0).isChecked(),
    ).resolves.toBe(true);
    await expect(
      page.getByRole('list', { name: 'Agenda items' }).getByRole('checkbox').nth(1).isChecked(),
    ).resolves.toBe(false);
  });

  it('keeps the other person’s change when the mentor moves a meeting from a stale page', async () => {
    const page = flow.page;
    await openMeeting(page, freeMeetingId);
    await patchMeetingThroughApi(page, freeMeetingId, { location: 'Changed meanwhile' });
    await page.getByRole('button', { name: 'Change time or place' }).click();
    const dialog = page.getByRole('dialog', { name: 'Change the time or place' });
    await dialog.getByLabel('Place').fill('My stale place');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Someone else changed this meeting; reload' });
    await alert.waitFor();
    await alert.getByRole('button', { name: 'Reload' }).click();
    await page.getByText('Changed meanwhile').waitFor();
    expect(await everything(page)).not.toContain('My stale place');
  });

  it('lets the mentor mark a meeting that did not happen as missed', async () => {
    const page = flow.page;
    const pairingId = await page.evaluate(async () => {
      const { asMentor } = (await (await fetch('/api/me/pairings')).json()) as {
        asMentor: { id: string; student: { email: string } }[];
      };
      return asMentor.find((p) => p.student.email === 'student@demo.medmentor.test')!.id;
    });
    // A meeting that was due an hour ago, confirmed, that nobody came to.
    const missedId = await page.evaluate(async (id) => {
      const session = (await (await fetch('/api/auth/session')).json()) as { csrfToken: string };
      const headers = { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrfToken };
      const created = (await (
        await fetch(`/api/pairings/${id}/meetings`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ startsAt: new Date(Date.now() - 3_600_000).toISOString(), durationMinutes: 30 }),
        })
      ).json()) as { id: string };
      await fetch(`/api/meetings/${created.id}`, {
        method: 'PATCH',
        headers,
        body: JSON.stringify({ version: 1, status: 'scheduled' }),
      });
      return created.id;
    }, pairingId);
    await openMeeting(page, missedId);
    await page.getByRole('button', { name: 'Mark as missed' }).click();
    const dialog = page.getByRole('dialog', { name: 'Mark this meeting as missed?' });
    await dialog.getByRole('button', { name: 'Mark as missed' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText('Missed', { exact: true }).waitFor();
    await expect.poll(() => page.getByRole('button', { name: 'Cancel meeting' }).count()).toBe(0);
    // The future meeting offers no "missed": it is cancelled instead, if it will not happen.
    await openMeeting(page, freeMeetingId);
    await expect.poll(() => page.getByRole('button', { name: 'Mark as missed' }).count()).toBe(0);
  });

  it('lets the student change a goal’s status, and moves it to its new section', async () => {
    const page = await flow.openAs(STUDENT);
    await nav(page).getByRole('link', { name: 'Development plan' }).click();
    const goal = page.getByRole('article', { name: 'Give concise oral case presentations' });
    await goal.getByRole('button', { name: /^Edit goal/ }).click();
    await expect.poll(async () => (await activeElement(page)).name).toBe('status');
    await goal.getByLabel('Status').selectOption('achieved');
    await goal.getByLabel('Goal', { exact: true }).fill('');
    await goal.getByRole('button', { name: 'Save goal' }).click();
    await goal.getByText('Name the goal').waitFor();
    await goal.getByLabel('Goal', { exact: true }).fill('Give concise oral case presentations');
    await saveScreenshot(page, 'development-plan-edit-goal');
    await goal.getByRole('button', { name: 'Save goal' }).click();
    const achieved = page.getByRole('region', { name: 'Achieved' });
    await achieved.getByRole('article', { name: 'Give concise oral case presentations' }).waitFor();
    await page.getByText('Goal saved and moved to Achieved').waitFor({ state: 'attached' });
    await noProblems(page, 'development-plan-goal-achieved');
  });

  it('says so when the goal changed meanwhile, and keeps that change', async () => {
    const page = flow.page;
    const goal = page.getByRole('article', { name: 'Decide between pediatrics and family medicine' });
    await goal.getByRole('button', { name: /^Edit goal/ }).click();
    const goalId = await page.evaluate(async () => {
      const me = (await (await fetch('/api/auth/session')).json()) as { user: { id: string } };
      const { goals } = (await (await fetch(`/api/students/${me.user.id}/goals`)).json()) as {
        goals: { id: string; title: string; version: number }[];
      };
      return goals.find((g) => g.title === 'Decide between pediatrics and family medicine')!.id;
    });
    await page.evaluate(async (id) => {
      const session = (await (await fetch('/api/auth/session')).json()) as { csrfToken: string; user: { id: string } };
      const { goals } = (await (await fetch(`/api/students/${session.user.id}/goals`)).json()) as {
        goals: { id: string; version: number }[];
      };
      const response = await fetch(`/api/goals/${id}`, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrfToken },
        body: JSON.stringify({ version: goals.find((g) => g.id === id)!.version, status: 'paused' }),
      });
      if (!response.ok) throw new Error(`PATCH failed: ${response.status}`);
    }, goalId);
    await goal.getByLabel('Status').selectOption('dropped');
    await goal.getByRole('button', { name: 'Save goal' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Someone else changed this goal; reload' });
    await alert.waitFor();
    await alert.getByRole('button', { name: 'Reload' }).click();
    await page
      .getByRole('region', { name: 'Paused' })
      .getByRole('article', { name: 'Decide between pediatrics and family medicine' })
      .waitFor();
    await expect.poll(() => page.getByRole('region', { name: 'Dropped' }).count()).toBe(0);
  });
});

describe('on a phone', () => {
  it('fits the meeting page without sideways scrolling', async () => {
    const page = await flow.openAs(STUDENT, PHONE);
    await openMeeting(page, upcomingMeetingId);
    const overflow = await page.evaluate<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await noProblems(page, 'meeting-phone');
  });
});
