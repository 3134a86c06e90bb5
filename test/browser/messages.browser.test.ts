import { describe, expect, it } from 'vitest';
import { PNG } from '../../server/src/modules/messages/test-files.ts';
import { noProblems, setUpBrowserFlow } from './support.ts';

/**
 * Messages in the browser, as the demo pair (Sofia Ramirez and Dr. Amara Okafor): the student
 * opens the conversation from My mentorship, sees what is new, has a mislabelled file refused at
 * the field, and sends a message with a file; the mentor finds it through the unread count; the
 * director sees the program's unresponsive pairing (names and dates, no text) and its limits; the
 * choice of message text in emails sits with the notification settings.
 */

const STUDENT = 'student@demo.medmentor.test';
const MENTOR = 'mentor@demo.medmentor.test';
const DIRECTOR = 'director@demo.medmentor.test';

const flow = setUpBrowserFlow();
const nav = () => flow.page.getByRole('navigation', { name: 'Main' });

describe('messages', () => {
  it('the student opens the conversation and sends a message; a mislabelled file is refused at the field', async () => {
    const page = await flow.openAs(STUDENT);
    await nav().getByRole('link', { name: 'My mentorship' }).click();
    await page.getByRole('link', { name: 'Messages with Amara Okafor' }).click();
    await page.getByRole('heading', { level: 1, name: 'Messages with Amara Okafor' }).waitFor();
    const list = page.getByRole('list', { name: 'Messages with Amara Okafor' });
    await list.getByRole('link', { name: 'Download step1-questions.txt' }).waitFor();
    await page.getByText('Waiting for Amara Okafor’s reply.').waitFor();
    await noProblems(page, 'messages-thread-student');

    await page.getByLabel('Your message').fill('Here is my transcript as well.');
    await page.getByLabel('Attach a file (optional)').setInputFiles({
      name: 'transcript.pdf',
      mimeType: 'application/pdf',
      buffer: PNG,
    });
    await page.getByRole('button', { name: 'Send message' }).click();
    await page.getByText(/transcript\.pdf is named as a \.pdf file but its content is PNG image/).waitFor();
    await expect(page.getByLabel('Attach a file (optional)').getAttribute('aria-invalid')).resolves.toBe('true');
    await noProblems(page, 'messages-attachment-refused');

    await page.getByLabel('Attach a file (optional)').setInputFiles({
      name: 'scores.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('NBME 1: 218\nNBME 2: 226\n'),
    });
    await page.getByRole('button', { name: 'Send message' }).click();
    await page.getByText('Message sent to Amara Okafor').waitFor();
    await list.getByText('Here is my transcript as well.').waitFor();
    await list.getByRole('link', { name: 'Download scores.txt' }).waitFor();
    await expect(page.getByLabel('Your message').inputValue()).resolves.toBe('');
    await noProblems(page, 'messages-sent');
  });

  it('the mentor finds the new messages through the unread count, and reading them takes them off it', async () => {
    const page = await flow.openAs(MENTOR);
    const unreadLink = nav().getByRole('link', { name: /^Messages \d+ unread$/ });
    const unreadBefore = Number(/\d+/.exec((await unreadLink.textContent()) ?? '')![0]);
    await unreadLink.click();
    await page.getByRole('heading', { level: 1, name: 'Messages' }).waitFor();
    const conversations = page.getByRole('region', { name: 'Your conversations' });
    await conversations.getByRole('link', { name: /^Sofia/ }).click();
    await page.getByRole('heading', { level: 1, name: /^Messages with Sofia/ }).waitFor();
    const list = page.getByRole('list', { name: /^Messages with Sofia/ });
    await list.getByText('New messages').waitFor();
    await list.getByText('Here is my transcript as well.').waitFor();
    await page.getByText(/is waiting for your reply\./).waitFor();
    // Reading the conversation takes its messages off the count (another mentee's may remain).
    const unreadNow = async () => {
      const text =
        (await nav()
          .getByRole('link', { name: /^Messages/ })
          .textContent()) ?? '';
      return Number(/\d+/.exec(text)?.[0] ?? 0);
    };
    await expect.poll(unreadNow).toBeLessThan(unreadBefore);
    await noProblems(page, 'messages-thread-mentor');
  });

  it('the director sees the unresponsive pairing, never what was written, and has the limits named at the field', async () => {
    const page = await flow.openAs(DIRECTOR);
    await nav().getByRole('link', { name: 'Responsiveness' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mentor responsiveness' }).waitFor();
    await page.getByLabel('Program', { exact: true }).selectOption({ label: 'Longitudinal Mentorship Program' });
    const table = page.getByRole('region', { name: 'Unresponsive pairings' });
    await expect.poll(() => table.getByRole('row').count()).toBeGreaterThan(1);
    await expect.poll(() => page.getByText('transition to clerkships', { exact: false }).count()).toBe(0);
    await noProblems(page, 'messages-responsiveness-director');

    await page.getByLabel('Offer: working days').fill('1');
    await page.getByRole('button', { name: 'Save limits' }).click();
    await page.getByText('The offer of another mentor must come after the reminder').waitFor();
    await page.getByLabel('Offer: working days').fill('8');
    await page.getByRole('button', { name: 'Save limits' }).click();
    await page.getByText('Limits saved').waitFor();
  });

  it('keeps the choice of message text in emails with the notification settings', async () => {
    const page = await flow.openAs(STUDENT);
    await page.goto(`${flow.url}/settings/notifications`);
    await page.getByRole('heading', { level: 1, name: 'Notification settings' }).waitFor();
    const box = page.getByRole('checkbox', { name: /Include the text of a message/ });
    await expect(box.isChecked()).resolves.toBe(false);
    await box.check();
    await page.getByText('Emails will carry the message text').waitFor();
    await noProblems(page, 'messages-email-text-setting');
  });
});
