import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.ts';

describe('password rules (ASVS 5.0)', () => {
  it('needs at least 8 characters and allows long passphrases', () => {
    expect(passwordProblem('short')).toMatch(/at least 8/);
    expect(passwordProblem('a'.repeat(20) + ' long passphrase with spaces and ünïcode 🙂 '.repeat(2))).toBeNull();
    expect(passwordProblem('x'.repeat(129))).toMatch(/at most 128/);
  });

  it('has no composition rules', () => {
    expect(passwordProblem('all lower case words here')).toBeNull();
  });

  it('refuses common passwords and the account’s own email or name', () => {
    expect(passwordProblem('password123')).toMatch(/too common/);
    expect(passwordProblem('Qwertyuiop')).toMatch(/too common/);
    expect(passwordProblem('amara.okafor', { email: 'amara.okafor@school.edu' })).toMatch(/email address or name/);
  });

  it('hashes with argon2id at t=2, m=19 MiB, p=1 and verifies', async () => {
    const hash = await hashPassword('a fine passphrase');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(await verifyPassword(hash, 'a fine passphrase')).toBe(true);
    expect(await verifyPassword(hash, 'another one')).toBe(false);
    expect(await verifyPassword('not a hash', 'x')).toBe(false);
  });
});
