import { createHmac, randomBytes } from 'node:crypto';

/**
 * The keys that turn "this person asked today" into a counter key nobody can read back. Each UTC
 * day gets a fresh random key that lives only in this process's memory and is dropped when the
 * day changes: the database holds HMAC(key, day ‖ user id) and nothing to recompute it with.
 * A restart or a second app instance starts with its own key, which only loosens the limit
 * (a student could ask the limit again); it never links a question to anyone
 * (docs/decisions/0009-anonymous-questions-and-surveys.md).
 */
const keys = new Map<string, Buffer>();

/** The calendar day (UTC) of an instant, 'YYYY-MM-DD': all the time an anonymous row keeps. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

function keyOf(day: string): Buffer {
  let key = keys.get(day);
  if (!key) {
    for (const old of keys.keys()) if (old !== day) keys.delete(old);
    key = randomBytes(32);
    keys.set(day, key);
  }
  return key;
}

/** The counter key of one person on one day: a keyed hash that can't be reversed or recomputed later. */
export function rateKey(day: string, userId: string): string {
  return createHmac('sha256', keyOf(day)).update(`${day}\u0000${userId}`).digest('hex');
}
