/**
 * What the browser flows share: Chromium, accessibility checks with axe, screenshots, and
 * signing in through the real form.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import axe from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const DEMO_PASSWORD = 'mentor-demo-2026';
export const SCREENSHOT_DIR = join(process.cwd(), 'test-artifacts', 'screenshots');

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

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

/**
 * A fresh browser profile (no cookies) with one tab. The server's CSP stays enforced so a
 * change that needs inline script or a foreign origin fails here instead of in production.
 */
export async function openPage(browser: Browser, viewport = DESKTOP): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport, locale: 'en-US', timezoneId: 'America/Chicago' });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) {
      problems.push(`CSP: ${message.text()}`);
    }
  });
  return { context, page, problems };
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
