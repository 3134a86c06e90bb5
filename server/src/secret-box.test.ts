import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from './config.ts';
import { openSecret, sealSecret, secretKey } from './secret-box.ts';

const KEY = Buffer.alloc(32, 7).toString('base64');
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'medmentor-secret-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('secret box', () => {
  const config = { SECRET_KEY: KEY, DATABASE_URL: undefined, DATA_DIR: '/nonexistent' };

  it('seals with a fresh nonce each time and opens what it sealed', () => {
    const a = sealSecret(config, 'client-secret-ü');
    const b = sealSecret(config, 'client-secret-ü');
    expect(a).toMatch(/^v1:/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('client-secret');
    expect(openSecret(config, a)).toBe('client-secret-ü');
  });

  it('refuses a changed value or another key rather than returning garbage', () => {
    const sealed = sealSecret(config, 'seed');
    const bytes = Buffer.from(sealed.slice(3), 'base64');
    bytes[bytes.length - 1]! ^= 1;
    expect(() => openSecret(config, `v1:${bytes.toString('base64')}`)).toThrow();
    expect(() => openSecret({ ...config, SECRET_KEY: Buffer.alloc(32, 8).toString('base64') }, sealed)).toThrow();
    expect(() => openSecret(config, 'plain text')).toThrow('Not a sealed secret');
  });

  it('keeps a key beside the embedded database, readable by its owner only, and reuses it', () => {
    const dir = tempDir();
    const embedded = { SECRET_KEY: undefined, DATABASE_URL: undefined, DATA_DIR: dir };
    const sealed = sealSecret(embedded, 'seed');
    expect(statSync(join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
    expect(secretKey(embedded)).toHaveLength(32);
    expect(openSecret(embedded, sealed)).toBe('seed');
  });

  it('asks for SECRET_KEY when the database is PostgreSQL', () => {
    expect(() =>
      secretKey({ SECRET_KEY: undefined, DATABASE_URL: 'postgres://localhost/x', DATA_DIR: tempDir() }),
    ).toThrow(ConfigError);
  });
});
