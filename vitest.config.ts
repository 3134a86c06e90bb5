import { defineConfig } from 'vitest/config';

const databaseTests = ['server/**/*.db.test.ts', 'test/**/*.db.test.ts'];

/**
 * Three tiers: pure unit tests; database tests, run on PGlite always and on PostgreSQL when
 * TEST_DATABASE_URL is set; browser flows in Chromium, two files at a time.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['server/**/*.test.ts', 'common/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: [...databaseTests, 'test/browser/**', 'test/fault/**', '**/node_modules/**'],
        },
      },
      {
        test: {
          name: 'db:pglite',
          include: databaseTests,
          env: { MEDMENTOR_TEST_ENGINE: 'pglite' },
          globalSetup: ['test/helpers/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      ...(process.env.TEST_DATABASE_URL
        ? [
            {
              test: {
                name: 'db:postgres',
                include: databaseTests,
                env: { MEDMENTOR_TEST_ENGINE: 'postgres' },
                globalSetup: ['test/helpers/global-setup.ts'],
                testTimeout: 30_000,
                hookTimeout: 60_000,
              },
            },
          ]
        : []),
      {
        // The app as a child process, killed -9 mid-write and restarted; on PostgreSQL when
        // TEST_DATABASE_URL is set, else embedded (docs/reliability.md, "Faults").
        test: {
          name: 'fault',
          include: ['test/fault/**/*.fault.test.ts'],
          fileParallelism: false,
          testTimeout: 240_000,
          hookTimeout: 240_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.browser.test.ts'],
          // Builds the web app and seeds the demo school once; each file's server starts on its own
          // copy. Two files at a time took the tier from ~16 to ~9 minutes on a 2-core machine.
          globalSetup: ['test/helpers/browser-global-setup.ts'],
          fileParallelism: true,
          maxWorkers: 2,
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
