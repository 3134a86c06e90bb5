/**
 * Secrets the server must read back (an identity provider's client secret, authenticator-app
 * seeds) are sealed with AES-256-GCM before they reach the database, so a copy of the database
 * or a backup alone does not give them away. The key is SECRET_KEY (32 bytes, base64); with the
 * embedded database and no SECRET_KEY, a key is made once and kept beside the data
 * (DATA_DIR/secret.key, readable by its owner only). PostgreSQL deployments must set SECRET_KEY,
 * the same on every instance.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, type Config } from './config.ts';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

type KeyConfig = Pick<Config, 'SECRET_KEY' | 'DATABASE_URL' | 'DATA_DIR'>;

const keyFiles = new Map<string, Buffer>();

/** The key sealing stored secrets; throws a ConfigError naming SECRET_KEY when there is none to use. */
export function secretKey(config: KeyConfig): Buffer {
  if (config.SECRET_KEY) return Buffer.from(config.SECRET_KEY, 'base64');
  if (config.DATABASE_URL) {
    throw new ConfigError(
      'SECRET_KEY must be set when DATABASE_URL is: 32 random bytes in base64, the same on every instance (e.g. `openssl rand -base64 32`)',
    );
  }
  const path = join(resolve(config.DATA_DIR), 'secret.key');
  let key = keyFiles.get(path);
  if (!key) {
    if (!existsSync(path)) {
      mkdirSync(resolve(config.DATA_DIR), { recursive: true });
      // 'wx' fails if another process made the file first; then that file is the key.
      try {
        writeFileSync(path, randomBytes(KEY_BYTES).toString('base64'), { flag: 'wx', mode: 0o600 });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      chmodSync(path, 0o600);
    }
    key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
    if (key.length !== KEY_BYTES) throw new ConfigError(`${path} does not hold a 32-byte base64 key`);
    keyFiles.set(path, key);
  }
  return key;
}

/** `v1:` + base64(iv ‖ tag ‖ ciphertext). */
export function sealSecret(config: KeyConfig, plaintext: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', secretKey(config), iv);
  const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64')}`;
}

/** Opens what sealSecret made; a wrong key or a changed value throws rather than returning garbage. */
export function openSecret(config: KeyConfig, stored: string): string {
  const [version, body] = stored.split(':', 2);
  if (version !== VERSION || !body) throw new Error('Not a sealed secret');
  const bytes = Buffer.from(body, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', secretKey(config), bytes.subarray(0, IV_BYTES));
  decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
}
