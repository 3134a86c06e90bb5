import type { AppContext } from '../../context.ts';
import { seedDemo, DEMO_PASSWORD } from './seed-demo.ts';

/** On `npm start` against an empty database, create the demo school so there is something to click. */
export async function seedDemoIfEmpty(
  ctx: Pick<AppContext, 'db' | 'clock'>,
  log: (message: string) => void,
): Promise<void> {
  const any = await ctx.db.selectFrom('institutions').select('id').limit(1).executeTakeFirst();
  if (any) return;
  const { logins } = await seedDemo(ctx);
  log(`Created the demo school. Sign in with any of these (password: ${DEMO_PASSWORD}):`);
  for (const login of logins) log(`  ${login.role.padEnd(16)} ${login.email.padEnd(40)} ${login.description}`);
}
