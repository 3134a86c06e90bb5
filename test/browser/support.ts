/**
 * What the browser flows share: one server and one Chromium per file (setUpBrowserFlow),
 * accessibility checks with axe, screenshots, and signing in through the real form.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import axe from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

export const DEMO_PASSWORD = 'mentor-demo-2026';
export const SCREENSHOT_DIR = join(process.cwd(), 'test-artifacts', 'screenshots');

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface Viewport {
  width: number;
  height: number;
}

export const DESKTOP: Viewport = { width: 1280, height: 800 };
export const PHONE: Viewport = { width: 390, height: 844 };

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not at ${CHROMIUM}; install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions and Content-Security-Policy violations seen so far; a flow should end with none. */
  problems: string[];
}

/** Each open page's problems, for the checks that take only the page. */
const problemsByPage = new WeakMap<Page, string[]>();

/**
 * A fresh browser profile (no cookies) with one tab. The server's CSP stays enforced so a
 * change that needs inline script or a foreign origin fails here instead of in production.
 */
export async function openPage(browser: Browser, viewport = DESKTOP): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport, locale: 'en-US', timezoneId: 'America/Chicago' });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const problems: string[] = [];
  problemsByPage.set(page, problems);
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) {
      problems.push(`CSP: ${message.text()}`);
    }
  });
  return { context, page, problems };
}

/** Fails on any uncaught exception or CSP violation the page has met since it was opened. */
export function expectNoPageErrors(page: Page): void {
  expect(problemsByPage.get(page) ?? [], `problems on ${page.url()}`).toEqual([]);
}

/** The end of a step: no serious accessibility violation, a screenshot, and no page error so far. */
export async function noProblems(page: Page, screenshot: string, options: { fullPage?: boolean } = {}): Promise<void> {
  await expectNoSeriousA11yViolations(page);
  await saveScreenshot(page, screenshot, options);
  expectNoPageErrors(page);
}

export interface BrowserFlow {
  /** Where the file's server listens, such as `http://localhost:41234`. */
  readonly url: string;
  /** The profile opened last, and its tab, for a test that carries on where the one before stopped. */
  readonly context: BrowserContext;
  readonly page: Page;
  /** A fresh profile (no cookies) with one tab; the profile opened before is closed. */
  open(viewport?: Viewport): Promise<Page>;
  /** A fresh profile signed in as one of the demo school's people, on their home page. */
  openAs(email: string, viewport?: Viewport): Promise<Page>;
}

/**
 * Registers the set-up every browser file shares: before its tests, the file's own server (on a
 * fresh copy of the demo school, see test/helpers/server.ts) and a Chromium; after them, both
 * closed. Call it once at the top of the file (or of a describe block).
 */
export function setUpBrowserFlow(options: Parameters<typeof startTestServer>[0] = {}): BrowserFlow {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  let opened: OpenedPage | undefined;

  beforeAll(async () => {
    // Chromium starts while the server opens its database; whichever fails, the other is closed after.
    const [started, launched] = await Promise.allSettled([startTestServer(options), launchBrowser()]);
    if (started.status === 'fulfilled') server = started.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    if (started.status === 'rejected') throw started.reason;
    if (launched.status === 'rejected') throw launched.reason;
  });

  afterAll(async () => {
    await opened?.context.close();
    await browser?.close();
    await server?.close();
  });

  const current = (): OpenedPage => {
    if (!opened) throw new Error('No page is open yet: call open() or openAs() first');
    return opened;
  };

  const flow: BrowserFlow = {
    get url() {
      if (!server) throw new Error('The server has not started (setUpBrowserFlow runs it in beforeAll)');
      return server.url;
    },
    get context() {
      return current().context;
    },
    get page() {
      return current().page;
    },
    async open(viewport) {
      if (!browser) throw new Error('Chromium has not started (setUpBrowserFlow launches it in beforeAll)');
      await opened?.context.close();
      opened = await openPage(browser, viewport);
      return opened.page;
    },
    async openAs(email, viewport) {
      const page = await flow.open(viewport);
      await signInAs(page, flow.url, email);
      return page;
    },
  };
  return flow;
}

/** Reads the API as the signed-in person, through the page (same cookies, same origin). */
export async function api<T>(page: Page, path: string): Promise<T> {
  return page.evaluate<T, string>(async (url) => {
    const response = await fetch(url, { headers: { Accept: 'application/json' } });
    if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }, path);
}

/** Writes through the API as the signed-in person, with the session's CSRF token, as the web app does. */
export async function apiPost<T>(page: Page, path: string, body: unknown): Promise<T> {
  return page.evaluate<T, { url: string; body: unknown }>(
    async ({ url, body }) => {
      const session = (await (await fetch('/api/auth/session')).json()) as { csrfToken: string };
      const response = await fetch(url, {
        method: 'POST',
        headers: { Accept: 'application/json', 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrfToken },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    },
    { url: path, body },
  );
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/**
 * Runs axe-core in the page and fails on serious or critical violations. axe is evaluated
 * through the DevTools protocol rather than a <script> tag, which the server's CSP (rightly) blocks.
 */
export async function expectNoSeriousA11yViolations(page: Page): Promise<void> {
  const loaded = await page.evaluate<boolean>('typeof window.axe === "object"');
  if (!loaded) await page.evaluate(axe.source);
  const violations = await page.evaluate<AxeViolation[]>(
    `axe.run(document, { resultTypes: ['violations'] }).then((result) => result.violations)`,
  );
  const serious = violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => {
      const targets = violation.nodes.map((node) => node.target.join(' ')).slice(0, 5);
      return `${violation.impact} ${violation.id}: ${violation.help} (${targets.join(', ')})`;
    });
  expect(serious, `axe found problems on ${page.url()}`).toEqual([]);
}

/** Saves the whole page; `fullPage: false` keeps what is on screen (a modal dialog and its backdrop). */
export async function saveScreenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: options.fullPage ?? true });
  return path;
}

/** Fills in and submits the sign-in form the way a person would. */
export async function submitSignIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** Signs in from the sign-in page and waits for the home page to finish loading. */
export async function signInAs(page: Page, baseUrl: string, email: string): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`);
  await submitSignIn(page, email, DEMO_PASSWORD);
  await page.getByRole('heading', { level: 1, name: /^Welcome, / }).waitFor();
  await page.locator('.home-sections').waitFor();
}

export async function activeElement(page: Page): Promise<{ tag: string; id: string; name: string; text: string }> {
  return page.evaluate<{ tag: string; id: string; name: string; text: string }>(`(() => {
    const el = document.activeElement;
    return {
      tag: el ? el.tagName.toLowerCase() : '',
      id: el ? el.id : '',
      name: el && el.getAttribute('name') ? el.getAttribute('name') : '',
      text: el ? (el.textContent || '').trim() : '',
    };
  })()`);
}

/** Focus lands where it should once the page has settled (focus often moves in an effect after the change shows). */
export async function expectFocus(
  page: Page,
  where: Partial<Awaited<ReturnType<typeof activeElement>>>,
  timeout = 10_000,
): Promise<void> {
  await expect.poll(() => activeElement(page), { timeout }).toMatchObject(where);
}
