import { describe, expect, it } from 'vitest';
import { api, noProblems, setUpBrowserFlow } from './support.ts';

/**
 * Performance records in the browser: a director checks a file (every problem named), imports the
 * fixed file and rolls the batch back; the demo student reads their records and withholds a
 * category from their mentor, which the mentor's view of the pairing loses at once.
 */

const DIRECTOR = 'director@demo.medmentor.test';
const STUDENT = 'student@demo.medmentor.test';
const HEADER = 'external_id,student_email,category,occurred_on,course_code,grade,score';

const flow = setUpBrowserFlow();

describe('performance records', () => {
  it('a director checks a file, sees every bad row, imports the fixed file and rolls it back', async () => {
    const page = await flow.openAs(DIRECTOR);
    await page.getByRole('link', { name: 'Record imports' }).click();
    await page.getByRole('heading', { level: 1, name: 'Record imports' }).waitFor();
    await page.getByRole('table', { name: 'Import batches' }).waitFor();
    await noProblems(page, 'records-import-empty');

    const bad = [
      HEADER,
      `BR-1,${STUDENT},grade,2026-02-30,MED-CLK,honors,`,
      `BR-2,nobody@demo.medmentor.test,grade,2026-08-20,MED-CLK,pass,`,
    ].join('\n');
    const file = page.getByLabel('CSV file');
    await file.setInputFiles({ name: 'grades.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    const importButton = page.getByRole('button', { name: 'Import', exact: true });
    await page.getByRole('button', { name: 'Check file' }).click();
    await page.locator('.alert-error', { hasText: 'grades.csv has 2 problems' }).waitFor();
    const problems = page.getByRole('table', { name: 'Problems in the file' });
    await expect.poll(() => problems.getByRole('row').count()).toBe(3);
    await problems.getByRole('row', { name: /2 occurred_on 2026-02-30/ }).waitFor();
    await problems.getByRole('row', { name: /3 student_email nobody@demo.medmentor.test/ }).waitFor();
    await expect(importButton.isDisabled()).resolves.toBe(true);
    await noProblems(page, 'records-import-problems');

    const good = [HEADER, `BR-1,${STUDENT},grade,2026-02-27,MED-CLK,honors,`].join('\n');
    await file.setInputFiles({ name: 'grades-fixed.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
    await page.getByRole('button', { name: 'Check file' }).click();
    await page.locator('.alert-success', { hasText: 'grades-fixed.csv is ready to import.' }).waitFor();
    await importButton.click();
    await page.locator('.alert-success', { hasText: 'Imported 1 row.' }).waitFor();

    const batches = page.getByRole('table', { name: 'Import batches' });
    const row = batches.getByRole('row', { name: /grades-fixed\.csv/ });
    await row.waitFor();
    await row.getByRole('button', { name: /Roll back the batch/ }).click();
    await row.getByRole('button', { name: 'Confirm roll back' }).click();
    await page.locator('.alert-success', { hasText: '1 record removed, 0 records restored' }).waitFor();
    await row.getByText(/Rolled back/).waitFor();
    await noProblems(page, 'records-import-rolled-back');
  });

  it('the student reads their records and withholds narratives from their mentor, at once', async () => {
    const page = await flow.openAs(STUDENT);
    await page.getByRole('link', { name: 'My records', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'My records' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Narrative evaluations' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Professionalism reports' }).waitFor();
    await noProblems(page, 'records-mine');

    const { asStudent } = await api<{ asStudent: { id: string; status: string }[] }>(page, '/api/me/pairings');
    const pairing = asStudent.find((p) => p.status === 'active')!;
    const seen = async () =>
      (await api<{ sharedCategories: string[] }>(page, `/api/pairings/${pairing.id}/records`)).sharedCategories;
    await expect(seen()).resolves.toContain('narrative');

    await page.getByRole('link', { name: 'choose what your mentor sees' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sharing my records' }).waitFor();
    const narratives = page.getByRole('group', { name: 'Narrative evaluations' });
    await narratives.getByLabel('Do not share').check();
    await narratives.getByLabel('Until (the last day this choice holds)').waitFor();
    await page.getByRole('button', { name: 'Save my choices' }).click();
    await page.locator('.alert-success', { hasText: 'Saved.' }).waitFor();
    await page
      .getByRole('table', { name: /^Every change/ })
      .getByRole('row', { name: /Narrative evaluations Not shared/ })
      .waitFor();
    await expect(seen()).resolves.not.toContain('narrative');
    await noProblems(page, 'records-sharing');
  });
});
