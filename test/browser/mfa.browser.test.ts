import { describe, expect, it } from 'vitest';
import { totpCodeAt } from '../../server/src/modules/auth/totp.ts';
import {
  DEMO_PASSWORD,
  expectNoPageErrors,
  expectNoSeriousA11yViolations,
  saveScreenshot,
  setUpBrowserFlow,
  signInAs,
  submitSignIn,
} from './support.ts';

const flow = setUpBrowserFlow();

const DEAN = 'dean@demo.medmentor.test';

describe('two-step sign-in', () => {
  it('enrols an authenticator app, signs out, and signs back in with a code computed here', async () => {
    const page = await flow.open();
    // The first page of a freshly started server can be slow on a busy machine.
    await page.goto(`${flow.url}/sign-in`);
    await page.getByLabel('Email address').waitFor({ timeout: 60_000 });
    await signInAs(page, flow.url, DEAN);

    await page.getByRole('link', { name: 'Security', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign-in security' }).waitFor();
    await page.getByText('Two-step sign-in is off').waitFor();
    await expectNoSeriousA11yViolations(page);

    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    const qr = page.getByRole('img', { name: /QR code to add medmentor/ });
    await qr.waitFor();
    const secret = ((await page.locator('.mfa-key code').textContent()) ?? '').replaceAll(' ', '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const codeField = page.getByLabel('Code from your app');
    await expect(codeField.getAttribute('autocomplete')).resolves.toBe('one-time-code');
    await expect(codeField.getAttribute('inputmode')).resolves.toBe('numeric');
    await expectNoSeriousA11yViolations(page);
    await saveScreenshot(page, 'mfa-enrol');

    // A wrong code is named at the field and announced.
    await codeField.fill('000000');
    await page.getByRole('button', { name: 'Confirm and turn on' }).click();
    await page.getByText('That code is not right', { exact: false }).waitFor();
    await expect(codeField.getAttribute('aria-invalid')).resolves.toBe('true');

    await codeField.fill(await totpCodeAt(secret, new Date()));
    await page.getByRole('button', { name: 'Confirm and turn on' }).click();
    await page.getByRole('heading', { name: 'Two-step sign-in is now on' }).waitFor();
    const codes = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
    await expect.poll(() => codes.count()).toBe(10);
    await expect.poll(async () => new Set(await codes.allTextContents()).size).toBe(10);
    await expectNoSeriousA11yViolations(page);
    await saveScreenshot(page, 'mfa-recovery-codes');
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByText('Two-step sign-in is on').waitFor();

    await page.getByRole('button', { name: /your account/ }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();

    await submitSignIn(page, DEAN, DEMO_PASSWORD);
    await page.getByRole('heading', { level: 1, name: 'Enter your code' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in/second-factor');
    await expectNoSeriousA11yViolations(page);
    await saveScreenshot(page, 'mfa-sign-in-code');

    // The code of the next time step: the enrolment spent this one, and a code is never taken twice.
    await page.getByLabel('6-digit code').fill(await totpCodeAt(secret, new Date(Date.now() + 30_000)));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    // Back where the session ended: the security page, with two-step sign-in on.
    await page.getByRole('heading', { level: 1, name: 'Sign-in security' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/settings/security');
    await page.getByText('Two-step sign-in is on').waitFor();
    expectNoPageErrors(page);
  });

  it('offers a recovery code instead of the app', async () => {
    const page = await flow.open();
    await page.goto(`${flow.url}/sign-in`);
    await submitSignIn(page, DEAN, DEMO_PASSWORD);
    await page.getByRole('heading', { level: 1, name: 'Enter your code' }).waitFor();
    await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
    const field = page.getByLabel('Recovery code');
    await field.waitFor();
    await field.fill('not a code');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText('Enter a recovery code such as').waitFor();
    await expectNoSeriousA11yViolations(page);
    await saveScreenshot(page, 'mfa-recovery-step');
  });
});
