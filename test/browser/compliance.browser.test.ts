import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../helpers/server.ts';
import {
  expectNoSeriousA11yViolations,
  launchBrowser,
  openPage,
  PHONE,
  saveScreenshot,
  signInAs,
  type OpenedPage,
} from './support.ts';

/**
 * The compliance dashboard in the browser: the demo director reads the tiles, the breakdowns, the
 * trend (chart and table) and the students behind with reasons, filters them and downloads the
 * report; the dean sees the same aggregates and no list of students.
 */

const DIRECTOR = 'director@demo.medmentor.test';
const DEAN = 'dean@demo.medmentor.test';

let server: Awaited<ReturnType<typeof startTestServer>>;
let browser: Browser;
let opened: OpenedPage | undefined;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await opened?.context.close();
  await browser?.close();
  await server?.close();
});

async function open(viewport?: typeof PHONE): Promise<Page> {
  await opened?.context.close();
  opened = await openPage(browser, viewport);
  return opened.page;
}

async function noProblems(page: Page, screenshot: string): Promise<void> {
  await expectNoSeriousA11yViolations(page);
  await saveScreenshot(page, screenshot, { fullPage: true });
  expect(opened?.problems).toEqual([]);
}

describe('compliance dashboard', () => {
  it('a director reads the program’s compliance, the students behind with reasons, and downloads the report', async () => {
    const page = await open();
    await signInAs(page, server.url, DIRECTOR);
    await page.getByRole('link', { name: 'Compliance' }).click();
    await page.getByRole('heading', { level: 1, name: 'Compliance' }).waitFor();
    await page.locator('.compliance-tiles').getByText('Meet the requirement').waitFor();
    await page.getByRole('table', { name: 'Compliance by cohort' }).waitFor();
    await page.getByRole('table', { name: 'Compliance by phase' }).waitFor();
    // The chart has its words in the caption and its figures in a table behind a disclosure.
    const trend = page.getByRole('figure', { name: /Compliance over the last twelve months/ });
    await trend.waitFor();
    await trend.locator('.compliance-chart svg').waitFor();
    await trend.getByText('Show the figures as a table').click();
    await expect(trend.getByRole('row').count()).resolves.toBe(13);

    const students = page.getByRole('table', { name: 'Students and their standing' });
    const count = page.locator('.results-count');
    await count.waitFor();
    const behindText = (await count.textContent()) ?? '';
    if (!behindText.startsWith('0 ')) {
      await students.waitFor();
      // Every student listed as behind says why.
      const rows = students.locator('tbody tr');
      const n = await rows.count();
      for (let i = 0; i < n; i++)
        await expect(rows.nth(i).locator('.compliance-reasons li').count()).resolves.toBeGreaterThan(0);
    }
    await noProblems(page, 'compliance-director');

    // All students: the list is asked for again without the standing filter.
    const all = page.waitForResponse(
      (r) => r.url().includes('/compliance/students') && !r.url().includes('status=') && r.ok(),
    );
    await page.getByRole('combobox', { name: 'Standing' }).selectOption('');
    await all;
    const noMentor = page.waitForResponse(
      (r) => r.url().includes('/compliance/students') && r.url().includes('reason=no_mentor') && r.ok(),
    );
    await page.getByRole('combobox', { name: 'Reason' }).selectOption('no_mentor');
    await noMentor;
    // Only students without a mentor remain, each saying so.
    await expect
      .poll(
        async () => {
          const rows = await page.locator('.compliance-students tbody tr').allTextContents();
          return rows.length > 0 && rows.every((row) => row.includes('No active mentor'));
        },
        { timeout: 10_000 },
      )
      .toBe(true);

    const pdf = page.getByRole('link', { name: 'Download PDF' });
    const href = await pdf.getAttribute('href');
    const response = await page.evaluate(async (url) => {
      const r = await fetch(url!);
      const bytes = new Uint8Array(await r.arrayBuffer());
      return { status: r.status, type: r.headers.get('content-type'), head: String.fromCharCode(...bytes.slice(0, 5)) };
    }, href);
    expect(response).toEqual({ status: 200, type: 'application/pdf', head: '%PDF-' });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^accreditation-report-.*\.csv$/);
  });

  it('a dean sees the aggregates but no list of students, and the page works on a phone', async () => {
    const page = await open(PHONE);
    await signInAs(page, server.url, DEAN);
    await page.goto(`${server.url}/compliance`);
    await page.getByRole('heading', { level: 1, name: 'Compliance' }).waitFor();
    await page.getByRole('table', { name: 'Compliance by cohort' }).waitFor();
    await page.getByText('The list of students, with the reasons, is for the program’s director').waitFor();
    await expect(page.getByRole('table', { name: 'Students and their standing' }).count()).resolves.toBe(0);
    await noProblems(page, 'compliance-dean-phone');
  });
});
