import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, noProblems, setUpBrowserFlow } from './support.ts';

/**
 * Anonymous questions and feedback surveys in the browser: a student asks anonymously and keeps
 * the private link; a mentor answers; the director publishes the answer in the FAQ, which another
 * browser finds; the director builds a survey, students answer it with the Likert radio groups,
 * and the results stay withheld until the survey closes with enough responses, then show as a
 * chart with a table beside it.
 */

const STUDENT = 'student@demo.medmentor.test';
const MENTOR = 'mentor@demo.medmentor.test';
const DIRECTOR = 'director@demo.medmentor.test';
const QUESTION = 'Is it normal to feel completely lost in the first week of the surgery clerkship?';

const flow = setUpBrowserFlow();

/** A signed-in API client outside the browser, for the other students of the cohort. */
async function apiAs(email: string) {
  const login = await fetch(`${flow.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  if (!login.ok) throw new Error(`sign-in of ${email}: ${login.status}`);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  return async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${flow.url}${path}`, {
      method,
      headers: {
        cookie,
        'x-csrf-token': csrfToken,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, json: text ? (JSON.parse(text) as any) : null };
  };
}

describe('anonymous questions and feedback surveys', () => {
  let token = '';
  let surveyId = '';
  const today = new Date().toISOString().slice(0, 10);
  const nextWeek = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);

  it('a student asks anonymously, sees what anonymity means and keeps the private link', async () => {
    const page = await flow.openAs(STUDENT);
    await page.getByRole('link', { name: 'Ask anonymously' }).click();
    await page.getByRole('heading', { level: 2, name: 'What anonymous means here' }).waitFor();
    // The demo student is in two programs; the demo mentor mentors in the longitudinal one.
    await page
      .getByRole('combobox', { name: 'Program' })
      .first()
      .selectOption({ label: 'Longitudinal Mentorship Program' });
    await page.getByLabel('Your question').fill(QUESTION);
    await page.getByLabel(/may publish my question/).check();
    await page.getByRole('button', { name: 'Send anonymously' }).click();
    await page.getByText('Your question was sent anonymously.').waitFor();
    const link = await page.getByLabel('Private link').inputValue();
    expect(link).toMatch(/\/questions\/private#[A-Za-z0-9_-]{43}$/);
    token = link.split('#')[1]!;
    const inbox = page.getByRole('region', { name: 'My anonymous inbox' });
    await inbox.getByText(QUESTION).waitFor();
    await expect(inbox.getByText('No answer yet.', { exact: false }).isVisible()).resolves.toBe(true);
    await noProblems(page, 'questions-ask');
  });

  it('a mentor answers from the queue', async () => {
    const page = await flow.openAs(MENTOR);
    await page.getByRole('link', { name: 'Anonymous questions' }).click();
    const card = page.locator('.question-card', { hasText: QUESTION });
    await card.waitFor();
    await card
      .getByLabel('Your answer')
      .fill('Yes. Almost everyone does; ask the residents to walk you through a day.');
    await card.getByRole('button', { name: 'Send answer' }).click();
    await page.getByRole('radio', { name: 'All questions' }).check();
    await page.locator('.question-card', { hasText: 'Almost everyone does' }).waitFor();
    await noProblems(page, 'questions-mentor-queue');
  });

  it('the director publishes the answer, and the FAQ and the private link show it', async () => {
    const page = await flow.openAs(DIRECTOR);
    await page.getByRole('link', { name: 'Moderate questions' }).click();
    await page.getByRole('combobox', { name: 'Program' }).selectOption({ label: 'Longitudinal Mentorship Program' });
    const pending = page.locator('.question-card', { hasText: QUESTION });
    await pending.waitFor();
    await noProblems(page, 'questions-moderation');
    await pending.getByRole('button', { name: 'Publish in the FAQ' }).click();
    await page.getByText('Nothing waits for approval.').waitFor();

    const student = await flow.openAs(STUDENT);
    await student.goto(`${flow.url}/questions`);
    // A fresh browser profile: its inbox is empty, which the page says rather than hides.
    await student.getByText('No questions from this browser yet.').waitFor();
    await student
      .getByRole('region', { name: 'Program FAQ' })
      .getByRole('combobox', { name: 'Program' })
      .selectOption({ label: 'Longitudinal Mentorship Program' });
    await student.getByLabel('Search the FAQ').fill('surgery LOST');
    await student.locator('.question-card', { hasText: 'Almost everyone does' }).waitFor();
    await noProblems(student, 'questions-faq');

    await student.goto(`${flow.url}/questions/private#${token}`);
    await student.getByText('Almost everyone does', { exact: false }).waitFor();
    await student.getByRole('button', { name: /Keep in this browser/ }).click();
    await student.getByText('This question is in this browser’s anonymous inbox.').waitFor();
    await noProblems(student, 'questions-private-link');
  });

  it('the director builds a survey; a student answers it with labelled Likert choices', async () => {
    const page = await flow.openAs(DIRECTOR);
    await page.getByRole('link', { name: 'Surveys', exact: true }).click();
    await page.getByRole('heading', { level: 2, name: 'New survey' }).waitFor();
    await page.getByRole('combobox', { name: 'Program' }).selectOption({ label: 'Longitudinal Mentorship Program' });
    await page.getByRole('heading', { level: 2, name: 'New survey' }).waitFor();
    await page.getByLabel('Title').fill('The program this term');
    await page.getByLabel('Who answers, about what').selectOption('students_about_program');
    await page.getByLabel('Opens on').fill(today);
    await page.getByLabel('Closes on').fill(nextWeek);
    await page.getByLabel('Question', { exact: true }).first().fill('The program helps me grow');
    await page.getByRole('button', { name: 'Add a free-text question' }).click();
    await page.getByLabel('Question', { exact: true }).nth(1).fill('What should we change?');
    await noProblems(page, 'surveys-builder');
    await page.getByRole('button', { name: 'Create survey' }).click();
    await page.getByText('The survey was created.').waitFor();
    const row = page.getByRole('row', { name: /The program this term/ });
    await row.waitFor();
    surveyId = (await row.getByRole('link').getAttribute('href'))!.split('/')[2]!;

    const student = await flow.openAs(STUDENT);
    await student.getByRole('link', { name: 'Feedback surveys' }).click();
    const form = student.getByRole('form', { name: 'The program this term' });
    await form.waitFor();
    const group = form.getByRole('group', { name: /The program helps me grow/ });
    await expect.poll(() => group.getByRole('radio').count()).toBe(5);
    await group.getByRole('radio', { name: 'Agree', exact: true }).check();
    await form.getByLabel(/What should we change/).fill('More evening sessions');
    await noProblems(student, 'surveys-take');
    await form.getByRole('button', { name: 'Send answers anonymously' }).click();
    await student.getByText('Thank you: your answers to “The program this term” are in.').waitFor();
    await student.getByText('No survey waits for you.').waitFor();
  });

  it('results are withheld while open and below the threshold, then shown as a chart and a table', async () => {
    const page = await flow.openAs(DIRECTOR);
    await page.goto(`${flow.url}/surveys/${surveyId}/results`);
    await page.getByText(/Withheld: results appear once the survey has closed with at least 5 responses/).waitFor();
    await noProblems(page, 'surveys-results-withheld');

    // Four more students of the program answer (five in all), then the director closes the survey.
    const director = await apiAs(DIRECTOR);
    const students = await director('GET', '/api/people?role=student&limit=60&status=active');
    let answered = 0;
    for (const person of students.json.items as { email: string }[]) {
      if (answered === 4) break;
      if (person.email === STUDENT) continue;
      const call = await apiAs(person.email);
      const mine = (await call('GET', '/api/me/surveys')).json.toTake.find(
        (s: { surveyId: string }) => s.surveyId === surveyId,
      );
      if (!mine) continue;
      const sent = await call('POST', `/api/surveys/${surveyId}/responses`, {
        answers: [
          { itemId: mine.items[0].id, likert: (answered % 3) + 3 },
          { itemId: mine.items[1].id, text: `Suggestion ${answered}` },
        ],
      });
      expect(sent.status).toBe(204);
      answered += 1;
    }
    expect(answered).toBe(4);
    await page.goto(`${flow.url}/program-surveys`);
    await page.getByRole('combobox', { name: 'Program' }).selectOption({ label: 'Longitudinal Mentorship Program' });
    await page.getByRole('button', { name: 'Close now The program this term' }).click();
    await page.getByRole('row', { name: /The program this term.*closed/ }).waitFor();

    await page.goto(`${flow.url}/surveys/${surveyId}/results`);
    await page.getByText('5 responses.', { exact: false }).waitFor();
    const table = page.getByRole('table', { name: /Responses to “The program helps me grow”/ });
    await table.waitFor();
    await expect(table.getByRole('row', { name: /4 · Agree/ }).textContent()).resolves.toMatch(/2$/);
    await page.locator('.likert-chart .recharts-bar-rectangle').first().waitFor();
    await page.getByText('More evening sessions').waitFor();
    await noProblems(page, 'surveys-results');
  });
});
