import { describe, expect, it } from 'vitest';
import { noProblems, setUpBrowserFlow } from './support.ts';

/**
 * Mentor readiness in the browser: the demo director sees which career advisors are not ready,
 * is told at the field what a completion lacks, imports a signed paper agreement from CSV (a bad
 * file first, refused row by row), and publishes a new version of the longitudinal program's
 * agreement; the demo mentor is then asked to sign it, and does.
 */

const DIRECTOR = 'director@demo.medmentor.test';
const MENTOR = 'mentor@demo.medmentor.test';

const flow = setUpBrowserFlow();

function daysAgo(days: number): string {
  const d = new Date(Date.now() - days * 86_400_000);
  return d.toISOString().slice(0, 10);
}

describe('mentor readiness', () => {
  it('a director sees who is not ready, imports a completion and changes the agreement', async () => {
    const page = await flow.openAs(DIRECTOR);
    await page.getByRole('link', { name: 'Mentor readiness' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mentor readiness' }).waitFor();
    await page.getByLabel('Program', { exact: true }).selectOption({ label: 'Career Advising Program' });
    const table = page.getByRole('table', { name: 'Mentors and their readiness' });
    await table.waitFor();
    await expect.poll(() => table.getByText('Not ready', { exact: true }).count()).toBe(2);
    const unsigned = table.locator('tbody tr', { hasText: 'Confidentiality agreement not signed' });
    const email = (await unsigned.locator('.field-hint').textContent())!.trim();
    await noProblems(page, 'readiness-director');

    // A completion without a mentor is refused at the field.
    await page.getByRole('button', { name: 'Record completion' }).click();
    await expect.poll(() => page.locator('.field-error', { hasText: 'Choose a mentor' }).count()).toBe(1);

    // A file naming a requirement the program does not have imports nothing; the right one imports.
    const header = 'mentor_email,requirement,completed_on,expires_on';
    const file = page.getByLabel('CSV file');
    const check = page.getByRole('button', { name: 'Check file' });
    await file.setInputFiles({
      name: 'completions.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`${header}\n${email},Fire safety,${daysAgo(10)},\n`),
    });
    await check.click();
    const problems = page.getByRole('table', { name: 'Problems in the file' });
    await problems.getByText('This program has no requirement of this name', { exact: false }).waitFor();
    await expect(page.getByRole('button', { name: 'Import', exact: true }).isDisabled()).resolves.toBe(true);
    await noProblems(page, 'readiness-import-problems');
    await file.setInputFiles({
      name: 'completions-fixed.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`${header}\n${email},Confidentiality agreement,${daysAgo(10)},\n`),
    });
    await check.click();
    await page.getByText('completions-fixed.csv is ready to import.').waitFor();
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByText('Imported 1 row.').waitFor();
    await expect.poll(() => table.getByText('Not ready', { exact: true }).count()).toBe(1);

    // A new version of the longitudinal program's agreement: its mentors must sign again.
    await page.getByLabel('Program', { exact: true }).selectOption({ label: 'Longitudinal Mentorship Program' });
    // The page body starts afresh for the chosen program: wait for it before typing into it.
    await page.locator('.page-header .eyebrow', { hasText: 'Longitudinal Mentorship Program' }).waitFor();
    const editor = page.getByRole('region', { name: /^Confidentiality agreement/ });
    await editor.getByLabel('Agreement text').waitFor();
    await editor
      .getByLabel('Agreement text')
      .fill(
        'As a mentor I keep confidential what my mentees tell me and what I read in their records, and I use the records only to support them.',
      );
    await editor.getByRole('button', { name: 'Save Confidentiality agreement' }).click();
    await page.getByRole('region', { name: /^Confidentiality agreement.*version 2/ }).waitFor();
    await noProblems(page, 'readiness-requirements', { fullPage: true });
  });

  it('a mentor reads the new agreement and signs it', async () => {
    const page = await flow.openAs(MENTOR);
    await page.getByRole('link', { name: 'My readiness' }).click();
    await page.getByRole('heading', { level: 1, name: 'My readiness' }).waitFor();
    await page.getByText('You are not ready to mentor in this program yet.').waitFor();
    await page.getByText('Confidentiality agreement: version 2 not signed (signed version 1)').waitFor();
    await page.getByRole('button', { name: 'Sign the agreement' }).click();
    await page.locator('.field-error', { hasText: 'Confirm that you have read the agreement' }).waitFor();
    await noProblems(page, 'readiness-mentor-unsigned');
    await page.getByLabel('I have read this agreement and I agree to it').check();
    await page.getByRole('button', { name: 'Sign the agreement' }).click();
    await page.getByText(/You signed this version on/).waitFor();
    await page.getByText('You are ready to mentor in this program.').waitFor();
    await noProblems(page, 'readiness-mentor-signed');
  });
});
