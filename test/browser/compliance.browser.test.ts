import { describe, expect, it } from 'vitest';
import { noProblems, PHONE, setUpBrowserFlow } from './support.ts';

/**
 * The compliance dashboard in the browser: the demo director reads the tiles, the breakdowns, the
 * trend (chart and table) and the students behind with reasons, filters them and downloads the
 * report; the dean sees the same aggregates and no list of students.
 */

const DIRECTOR = 'director@demo.medmentor.test';
const DEAN = 'dean@demo.medmentor.test';

const flow = setUpBrowserFlow();

describe('compliance dashboard', () => {
  it('a director reads the program’s compliance, the students behind with reasons, and downloads the report', async () => {
    const page = await flow.openAs(DIRECTOR);
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
    await expect.poll(() => trend.getByRole('row').count()).toBe(13);

    const students = page.getByRole('table', { name: 'Students and their standing' });
    const count = page.locator('.results-count');
    await count.waitFor();
    const behindText = (await count.textContent()) ?? '';
    if (!behindText.startsWith('0 ')) {
      await students.waitFor();
      // Every student listed as behind says why.
      const rows = students.locator('tbody tr');
      await rows.first().waitFor();
      const n = await rows.count();
      for (let i = 0; i < n; i++)
        await expect.poll(() => rows.nth(i).locator('.compliance-reasons li').count()).toBeGreaterThan(0);
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
    const page = await flow.openAs(DEAN, PHONE);
    await page.goto(`${flow.url}/compliance`);
    await page.getByRole('heading', { level: 1, name: 'Compliance' }).waitFor();
    await page.getByRole('table', { name: 'Compliance by cohort' }).waitFor();
    await page.getByText('The list of students, with the reasons, is for the program’s director').waitFor();
    await expect.poll(() => page.getByRole('table', { name: 'Students and their standing' }).count()).toBe(0);
    await noProblems(page, 'compliance-dean-phone');
  });
});
