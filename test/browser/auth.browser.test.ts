import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  activeElement,
  DEMO_PASSWORD,
  expectNoPageErrors,
  expectNoSeriousA11yViolations,
  noProblems,
  saveScreenshot,
  setUpBrowserFlow,
  submitSignIn,
} from './support.ts';

// One server and one browser for the file; each test opens a fresh profile (no cookies).
const flow = setUpBrowserFlow();

function path(page: Page): string {
  const url = new URL(page.url());
  return `${url.pathname}${url.search}${url.hash}`;
}

describe('signing in and out', () => {
  it('sends a visitor who is not signed in to the sign-in page', async () => {
    const page = await flow.open();
    await page.goto(flow.url);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    expect(path(page)).toBe('/sign-in');
    await expect(page.title()).resolves.toBe('Sign in – medmentor');
    await expect(page.evaluate<string>('document.documentElement.lang')).resolves.toBe('en');
    for (const landmark of ['banner', 'main', 'contentinfo'] as const) {
      await expect.poll(() => page.getByRole(landmark).count()).toBe(1);
    }
    await noProblems(page, 'sign-in');
  });

  it('names the empty fields when the form is sent blank', async () => {
    const page = await flow.open();
    await page.goto(`${flow.url}/sign-in`);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();

    const email = page.getByLabel('Email address');
    await page.getByText('Enter your email address').waitFor();
    await page.getByText('Enter your password').waitFor();
    await expect(email.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(activeElement(page)).resolves.toMatchObject({ name: 'email' });
    await expectNoSeriousA11yViolations(page);
  });

  it('says so when the password is wrong, and lets the person try again', async () => {
    const page = await flow.open();
    await page.goto(`${flow.url}/sign-in`);
    await submitSignIn(page, 'student@demo.medmentor.test', 'not-the-password');

    const alert = page.locator('[aria-live="assertive"] .alert-error');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toMatch(/incorrect/i);
    expect(path(page)).toBe('/sign-in');
    await expect(page.getByLabel('Password', { exact: true }).inputValue()).resolves.toBe('');
    await expect(activeElement(page)).resolves.toMatchObject({ name: 'password' });
    await expectNoSeriousA11yViolations(page);
    await saveScreenshot(page, 'sign-in-wrong-password');

    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Welcome, Sofia' }).waitFor();
    expectNoPageErrors(page);
  });

  it('returns to the page that was asked for after signing in', async () => {
    const page = await flow.open();
    await page.goto(`${flow.url}/access-log`);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    expect(path(page)).toBe('/sign-in?next=%2Faccess-log');

    await submitSignIn(page, 'student@demo.medmentor.test', DEMO_PASSWORD);
    await page.getByRole('heading', { level: 1, name: 'Who viewed my records' }).waitFor();
    expect(path(page)).toBe('/access-log');
  });

  it('does not follow a return address to another site', async () => {
    const page = await flow.open();
    await page.goto(`${flow.url}/sign-in?next=${encodeURIComponent('//evil.example/phish')}`);
    await submitSignIn(page, 'student@demo.medmentor.test', DEMO_PASSWORD);
    await page.getByRole('heading', { level: 1, name: 'Welcome, Sofia' }).waitFor();
    expect(new URL(page.url()).origin).toBe(flow.url);
    expect(path(page)).toBe('/');
  });

  it('sends someone whose session ended back to sign in, then on to where they were going', async () => {
    const page = await flow.openAs('student@demo.medmentor.test');
    await flow.context.clearCookies();

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Who viewed my records' }).click();
    await page.getByText('Your session has ended.').waitFor();
    expect(path(page)).toBe('/sign-in?next=%2Faccess-log');

    await submitSignIn(page, 'student@demo.medmentor.test', DEMO_PASSWORD);
    await page.getByRole('heading', { level: 1, name: 'Who viewed my records' }).waitFor();
    expectNoPageErrors(page);
  });

  it('signs out from the user menu and ends the session on the server', async () => {
    const page = await flow.openAs('mentor@demo.medmentor.test');

    const menuButton = page.getByRole('button', { name: /Amara Okafor/ });
    await expect(menuButton.getAttribute('aria-expanded')).resolves.toBe('false');
    await menuButton.click();
    await page.locator('.user-menu-button[aria-expanded="true"]').waitFor();
    await page.getByText('mentor@demo.medmentor.test').waitFor();
    await expectNoSeriousA11yViolations(page);
    await saveScreenshot(page, 'user-menu-open');

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByText('You have signed out.').waitFor();
    expect(path(page)).toBe('/sign-in');

    const session = await flow.context.request.get(`${flow.url}/api/auth/session`);
    expect(session.status()).toBe(401);
    await page.goto(flow.url);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    expectNoPageErrors(page);
  });

  it('closes the user menu with Escape and returns focus to its button', async () => {
    const page = await flow.openAs('dean@demo.medmentor.test');
    const menuButton = page.getByRole('button', { name: /Margaret Whitfield/ });
    await menuButton.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Sign out', exact: true }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Sign out', exact: true }).waitFor({ state: 'hidden' });
    await expect(activeElement(page)).resolves.toMatchObject({
      tag: 'button',
      text: expect.stringContaining('Margaret'),
    });
  });
});

describe('keyboard use', () => {
  it('signs in with the keyboard alone', async () => {
    const page = await flow.open();
    await page.goto(`${flow.url}/sign-in`);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();

    for (let presses = 0; presses < 6 && (await activeElement(page)).name !== 'email'; presses++) {
      await page.keyboard.press('Tab');
    }
    await expect(activeElement(page)).resolves.toMatchObject({ name: 'email' });
    await page.keyboard.type('director@demo.medmentor.test');
    await page.keyboard.press('Tab');
    await expect(activeElement(page)).resolves.toMatchObject({ name: 'password' });
    await page.keyboard.type(DEMO_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Welcome, Samuel' }).waitFor();
  });

  it('reaches the main content from the skip link', async () => {
    const page = flow.page;
    await page.goto(flow.url);
    await page.locator('.home-sections').waitFor();

    await page.keyboard.press('Tab');
    const skip = await activeElement(page);
    expect(skip).toMatchObject({ tag: 'a', text: 'Skip to main content' });
    const box = await page.getByRole('link', { name: 'Skip to main content' }).boundingBox();
    expect(box && box.y >= 0 && box.height > 0).toBe(true);
    await saveScreenshot(page, 'skip-link-focused');

    await page.keyboard.press('Enter');
    await expect(activeElement(page)).resolves.toMatchObject({ tag: 'main', id: 'main' });
    await page.keyboard.press('Tab');
    const insideMain = await page.evaluate<boolean>(
      `document.getElementById('main').contains(document.activeElement) && document.activeElement.id !== 'main'`,
    );
    expect(insideMain).toBe(true);
    expectNoPageErrors(page);
  });

  it('shows a visible focus outline on links and buttons', async () => {
    const page = flow.page;
    await page.goto(flow.url);
    await page.locator('.home-sections').waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    const outline = await page.evaluate<{ style: string; width: string }>(`(() => {
      const style = getComputedStyle(document.activeElement);
      return { style: style.outlineStyle, width: style.outlineWidth };
    })()`);
    expect(outline.style).not.toBe('none');
    expect(Number.parseFloat(outline.width)).toBeGreaterThanOrEqual(2);
  });
});

describe('password reset and unknown pages', () => {
  it('asks for an email address and confirms that a link was sent', async () => {
    const page = await flow.open();
    await page.goto(`${flow.url}/sign-in`);
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByRole('heading', { level: 1, name: 'Reset your password' }).waitFor();
    await expect(page.title()).resolves.toBe('Reset your password – medmentor');
    await expectNoSeriousA11yViolations(page);
    await saveScreenshot(page, 'forgot-password');

    await page.getByLabel('Email address').fill('student@demo.medmentor.test');
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await page.getByText('Check your email').waitFor();
    await noProblems(page, 'forgot-password-sent');
  });

  it('explains a reset link that has no token', async () => {
    const page = await flow.open();
    await page.goto(`${flow.url}/reset-password`);
    await page.getByText('This reset link cannot be used.').waitFor();
    await page.getByRole('link', { name: 'Request a new link' }).waitFor();
    await expectNoSeriousA11yViolations(page);
  });

  it('checks the new password, hides the token, and reports a token the server rejects', async () => {
    const page = await flow.open();
    await page.goto(`${flow.url}/reset-password#token=this-token-was-never-issued`);
    await page.getByRole('heading', { level: 1, name: 'Choose a new password' }).waitFor();
    await page.waitForURL((url) => url.hash === '');
    await expectNoSeriousA11yViolations(page);
    await saveScreenshot(page, 'reset-password');

    await page.getByLabel('New password', { exact: true }).fill('short');
    await page.getByLabel('Confirm new password').fill('short');
    await page.getByRole('button', { name: 'Save new password' }).click();
    await page.getByText('Use at least 8 characters').waitFor();
    await expect(activeElement(page)).resolves.toMatchObject({ name: 'password' });

    await page.getByLabel('New password', { exact: true }).fill('a-much-longer-passphrase-2026');
    await page.getByLabel('Confirm new password').fill('a-much-longer-passphrase-2026');
    await page.getByRole('button', { name: 'Save new password' }).click();
    await page.getByText('This reset link cannot be used.').waitFor();
    await expectNoSeriousA11yViolations(page);
    expectNoPageErrors(page);
  });

  it('shows a page-not-found page with a way back', async () => {
    const page = await flow.open();
    await page.goto(`${flow.url}/no-such-page`);
    await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    await expect(page.title()).resolves.toBe('Page not found – medmentor');
    await page.getByRole('link', { name: 'Go to sign in' }).waitFor();
    await noProblems(page, 'not-found');
  });
});
