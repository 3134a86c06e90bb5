import argon2 from 'argon2';
import { dictionary } from '@zxcvbn-ts/language-common';

/** argon2id at OWASP ASVS 5.0 appendix C's floor: t=2, m=19 MiB, p=1. */
const HASH_OPTIONS = { type: argon2.argon2id, timeCost: 2, memoryCost: 19 * 1024, parallelism: 1 } as const;

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

const commonPasswords = new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, HASH_OPTIONS);
}

/** Compares in constant time; a malformed stored hash counts as a mismatch. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** A hash that no password matches, so an unknown account costs the same time as a known one. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('no password matches this hash on purpose');
  return dummyHash;
}

/**
 * ASVS 5.0 password rules: length 8 to 128 (so 64+ fit), any characters, no composition rules,
 * and not a commonly used password or the account's own email or name.
 * Returns the problem, or null when the password is acceptable.
 */
export function passwordProblem(password: string, account: { email?: string; names?: string[] } = {}): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `Password must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (length > PASSWORD_MAX_LENGTH) return `Password must be at most ${PASSWORD_MAX_LENGTH} characters`;
  const lowered = password.toLowerCase();
  if (commonPasswords.has(lowered)) return 'This password is too common; choose another';
  const personal = [account.email, account.email?.split('@')[0], ...(account.names ?? [])]
    .filter((s): s is string => !!s && s.length >= 3)
    .map((s) => s.toLowerCase());
  if (personal.includes(lowered)) return 'Password must not be your email address or name';
  return null;
}
