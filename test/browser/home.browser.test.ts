import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectNoSeriousA11yViolations, noProblems, PHONE, setUpBrowserFlow } from './support.ts';

interface RoleCase {
  name: string;
  email: string;
  isStudent: boolean;
  check(page: Page): Promise<void>;
}

const heading = (page: Page, level: number, name: string | RegExp) => page.getByRole('heading', { level, name });

/** The demo school's logins, and what each must (and must not) see on their home page. */
const ROLE_CASES: RoleCase[] = [
  {
    name: 'student',
    email: 'student@demo.medmentor.test',
    isStudent: true,
    async check(page) {
      await heading(page, 2, 'Your mentor').waitFor();
      await heading(page, 3, 'Amara Okafor').waitFor();
      const card = page.getByRole('article', { name: 'Amara Okafor' });
      await card.getByRole('link', { name: 'mentor@demo.medmentor.test' }).waitFor();
      await card.getByText('Family Medicine').waitFor();
      await card.getByText('August 1, 2024').waitFor();
      await expect.poll(() => page.getByText('You have not been matched').count()).toBe(0);
    },
  },
  {
    name: 'student-unmatched',
    email: 'student.unmatched@demo.medmentor.test',
    isStudent: true,
    async check(page) {
      await heading(page, 3, 'You have not been matched with a mentor yet').waitFor();
      await expect.poll(() => page.getByRole('article').count()).toBe(0);
    },
  },
  {
    name: 'mentor',
    email: 'mentor@demo.medmentor.test',
    isStudent: false,
    async check(page) {
      await heading(page, 2, 'Your mentees').waitFor();
      const table = page.getByRole('table', { name: 'Your mentees' });
      await table.getByRole('rowheader', { name: /Sofia Ramirez/ }).waitFor();
      await expect.poll(() => table.locator('tbody tr').count()).toBe(5);
      await expect.poll(() => heading(page, 2, 'Your assessing').count()).toBe(0);
    },
  },
  {
    name: 'director',
    email: 'director@demo.medmentor.test',
    isStudent: false,
    async check(page) {
      await heading(page, 2, 'Your programs').waitFor();
      const table = page.getByRole('table', { name: 'Cohorts in Longitudinal Mentorship Program' });
      await table.waitFor();
      await expect
        .poll(async () => (await table.getByRole('columnheader').allTextContents()).slice(0, 4))
        .toEqual(['Cohort', 'Students', 'Paired', 'Unpaired']);
      await expect.poll(() => table.locator('tbody tr').count()).toBeGreaterThan(0);
      await page.getByRole('table', { name: 'Cohorts in Career Advising Program' }).waitFor();
      // Four figures (students, paired, unpaired, mentors) for each of the two programs.
      const figures = page.locator('.stat-value');
      await expect.poll(() => figures.count()).toBe(8);
    },
  },
  {
    name: 'assessor',
    email: 'assessor@demo.medmentor.test',
    isStudent: false,
    async check(page) {
      await heading(page, 2, 'Your assessing').waitFor();
      await page.getByText('Active assignments').waitFor();
      await page.getByText('You never see mentoring content.').waitFor();
      await expect.poll(() => heading(page, 2, 'Your mentees').count()).toBe(0);
    },
  },
  {
    name: 'dean',
    email: 'dean@demo.medmentor.test',
    isStudent: false,
    async check(page) {
      await heading(page, 2, 'Institution overview').waitFor();
      await expect
        .poll(() => page.locator('.stat-label').allTextContents())
        .toEqual(['Students', 'Faculty', 'Programs', 'Active pairings']);
      await expect.poll(() => page.getByRole('table').count()).toBe(0);
    },
  },
  {
    name: 'admin',
    email: 'admin@demo.medmentor.test',
    isStudent: false,
    async check(page) {
      await heading(page, 2, 'Administration').waitFor();
      await expect
        .poll(() => page.locator('.stat-label').allTextContents())
        .toEqual(['Students', 'Faculty', 'Programs', 'Cohorts', 'Active API tokens']);
    },
  },
  {
    name: 'mentor-assessor',
    email: 'mentor.assessor@demo.medmentor.test',
    isStudent: false,
    async check(page) {
      // Both hats, each in its own section, labelled by role.
      await heading(page, 2, 'Your mentees').waitFor();
      await heading(page, 2, 'Your assessing').waitFor();
      await expect.poll(() => page.locator('.page-section .eyebrow').allTextContents()).toEqual(['Mentor', 'Assessor']);
    },
  },
];

describe('home page for each role', () => {
  const flow = setUpBrowserFlow();

  for (const role of ROLE_CASES) {
    it(`shows the ${role.name} what their role needs, accessibly`, async () => {
      const page = await flow.openAs(role.email);

      await expect(page.title()).resolves.toBe('Home – medmentor');
      await expect.poll(() => page.getByRole('heading', { level: 1 }).count()).toBe(1);
      await role.check(page);

      const nav = page.getByRole('navigation', { name: 'Main' });
      await expect(nav.getByRole('link', { name: 'Home' }).getAttribute('aria-current')).resolves.toBe('page');
      await expect
        .poll(() => nav.getByRole('link', { name: 'Who viewed my records' }).count())
        .toBe(role.isStudent ? 1 : 0);

      await noProblems(page, `home-${role.name}`);
    });
  }

  for (const role of ROLE_CASES.filter((r) => ['student', 'director', 'mentor'].includes(r.name))) {
    it(`fits the ${role.name}'s home page on a phone`, async () => {
      const page = await flow.openAs(role.email, PHONE);
      await role.check(page);
      const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
      expect(overflow).toBeLessThanOrEqual(0);
      // Tables keep what needs action on screen too, without sideways scrolling.
      const tablesOverflow = await page.evaluate<number[]>(
        `[...document.querySelectorAll('.table-frame')].map((frame) => frame.scrollWidth - frame.clientWidth)`,
      );
      expect(tablesOverflow.every((pixels) => pixels <= 0)).toBe(true);
      await noProblems(page, `home-${role.name}-phone`);
    });
  }

  it('shows a student who viewed their records', async () => {
    const page = await flow.openAs('student@demo.medmentor.test');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Who viewed my records' }).click();

    await heading(page, 1, 'Who viewed my records').waitFor();
    await expect(page.title()).resolves.toBe('Who viewed my records – medmentor');
    await page.locator('table, .empty-state').first().waitFor();
    const rows = await page.locator('table tbody tr').count();
    if (rows === 0) {
      await heading(page, 2, 'No one has viewed your records yet').waitFor();
    } else {
      await expect.poll(() => page.getByRole('columnheader').allTextContents()).toEqual(['When', 'Who', 'What', 'Why']);
    }
    await noProblems(page, 'access-log-student');
  });

  it('tells a non-student that the record of access is for students', async () => {
    const page = await flow.openAs('mentor@demo.medmentor.test');
    await page.goto(`${flow.url}/access-log`);
    await heading(page, 2, 'This page is for students').waitFor();
    await expectNoSeriousA11yViolations(page);
  });
});
