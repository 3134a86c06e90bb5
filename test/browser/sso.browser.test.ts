import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestProvider, type TestProvider } from '../auth-sso/oidc-test-provider.ts';
import { expectNoPageErrors, noProblems, setUpBrowserFlow } from './support.ts';

/**
 * Single sign-on in the browser: the demo school's administrator sets up the school's OpenID
 * Connect provider (a real one, oidc-provider on loopback), mistakes named at their fields; the
 * sign-in page then offers the button, and a student signs in through the provider and back,
 * with Chromium following every redirect and keeping every cookie itself. A provider that does
 * not vouch for the email sends the person back with the reason in words.
 */

const ADMIN = 'admin@demo.medmentor.test';
const STUDENT = 'student@demo.medmentor.test';
const BUTTON_NAME = 'Harbor University Login';

const flow = setUpBrowserFlow();
let provider: TestProvider;

beforeAll(async () => {
  provider = await startTestProvider(`${flow.url}/api/auth/sso/callback`);
});

afterAll(async () => {
  await provider?.close();
});

describe('single sign-on', () => {
  it('lets the administrator set up the provider, naming each mistake at its field', async () => {
    const page = await flow.openAs(ADMIN);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign-in settings' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign-in settings' }).waitFor();
    const form = page.getByRole('form', { name: 'Single sign-on' });
    // The redirect URI to register at the provider is this server's own.
    await form.getByText(`${flow.url}/api/auth/sso/callback`, { exact: true }).waitFor();

    // Sent empty: each missing setting is named at its field.
    await form.getByRole('button', { name: 'Save single sign-on' }).click();
    await form.getByText('Enter the button name').waitFor();
    await form.getByText('Enter the issuer URL, such as https://login.example.edu').waitFor();
    await form.getByText('Enter the client ID').waitFor();
    await expect.poll(() => form.getByLabel('Button name').getAttribute('aria-invalid')).toBe('true');
    await noProblems(page, 'sso-settings-errors');

    // The server refuses a provider reached over plain http on another machine, at the issuer field.
    await form.getByLabel('Button name').fill(BUTTON_NAME);
    await form.getByLabel('Issuer URL').fill('http://login.harbor.example.edu');
    await form.getByLabel('Client ID').fill(provider.clientId);
    await form.getByLabel('Client secret').fill(provider.clientSecret);
    await form.getByRole('button', { name: 'Save single sign-on' }).click();
    await form.getByText('The issuer URL must start with https://').waitFor();
    await expect.poll(() => form.getByLabel('Issuer URL').getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => form.getByLabel('Button name').getAttribute('aria-invalid')).not.toBe('true');

    // Scopes without openid are refused before anything is sent.
    await form.getByLabel('Issuer URL').fill(provider.issuer);
    await form.getByLabel('Scopes').fill('email profile');
    await form.getByRole('button', { name: 'Save single sign-on' }).click();
    await form.getByText('The scopes must include openid').waitFor();

    await form.getByLabel('Scopes').fill('openid email profile');
    await form.getByRole('button', { name: 'Save single sign-on' }).click();
    await form.getByRole('status').getByText('Single sign-on saved').waitFor();
    await noProblems(page, 'sso-settings-saved');

    // What was saved comes back; the secret is kept and never shown again.
    await page.reload();
    const again = page.getByRole('form', { name: 'Single sign-on' });
    await again.getByText('A secret is stored and never shown. Leave empty to keep it.').waitFor();
    await expect.poll(() => again.getByLabel('Client secret').inputValue()).toBe('');
    await expect.poll(() => again.getByLabel('Issuer URL').inputValue()).toBe(provider.issuer);
    await expect.poll(() => again.getByLabel('Button name').inputValue()).toBe(BUTTON_NAME);
    await expect.poll(() => page.content()).not.toContain(provider.clientSecret);
  });

  it('offers the button on the sign-in page and signs a student in through the provider', async () => {
    provider.accounts.set('idp-sofia', { sub: 'idp-sofia', email: STUDENT.toUpperCase(), email_verified: true });
    provider.signInAs('idp-sofia');

    const page = await flow.open();
    await page.goto(`${flow.url}/sign-in`);
    const button = page.getByRole('link', { name: `Sign in with ${BUTTON_NAME}` });
    await button.waitFor();
    // The password form stays for people without a university account.
    await page.getByLabel('Email address').waitFor();
    await noProblems(page, 'sso-sign-in-button');

    await button.click();
    // Off to the provider and back: the app's callback opens the session and goes home.
    await page.getByRole('heading', { level: 1, name: 'Welcome, Sofia' }).waitFor({ timeout: 30_000 });
    expect(new URL(page.url()).origin).toBe(flow.url);
    expect(new URL(page.url()).pathname).toBe('/');
    const session = await flow.context.request.get(`${flow.url}/api/auth/session`);
    expect(session.status()).toBe(200);
    await expect(session.json()).resolves.toMatchObject({ user: { email: STUDENT } });
    // The browser-binding cookie is spent once the callback has used it.
    const cookies = await flow.context.cookies(flow.url);
    expect(cookies.find((cookie) => cookie.name === '__Host-mm_sso')?.value ?? '').toBe('');
    expectNoPageErrors(page);
  });

  it('returns to a page that was asked for, through the provider', async () => {
    provider.signInAs('idp-sofia');
    const page = await flow.open();
    await page.goto(`${flow.url}/access-log`);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.getByRole('link', { name: `Sign in with ${BUTTON_NAME}` }).click();
    await page.getByRole('heading', { level: 1, name: 'Who viewed my records' }).waitFor({ timeout: 30_000 });
    expect(new URL(page.url()).pathname).toBe('/access-log');
    expectNoPageErrors(page);
  });

  it('sends someone back with the reason when the provider has not verified their email', async () => {
    provider.accounts.set('idp-unverified', {
      sub: 'idp-unverified',
      email: 'mentor@demo.medmentor.test',
      email_verified: false,
    });
    provider.signInAs('idp-unverified');
    const page = await flow.open();
    await page.goto(`${flow.url}/sign-in`);
    await page.getByRole('link', { name: `Sign in with ${BUTTON_NAME}` }).click();
    await page
      .getByRole('alert')
      .getByText("Your school's sign-in service has not verified your email address", { exact: false })
      .waitFor({ timeout: 30_000 });
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect(new URL(page.url()).searchParams.get('sso_error')).toBe('sso_unverified_email');
    const session = await flow.context.request.get(`${flow.url}/api/auth/session`);
    expect(session.status()).toBe(401);
    await noProblems(page, 'sso-sign-in-refused');
  });
});
