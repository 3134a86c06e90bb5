import { generate, generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';
import { randomBytes } from 'node:crypto';
import { sha256Hex } from './secrets.ts';

/**
 * TOTP as every authenticator app speaks it (RFC 6238: SHA-1, 6 digits, 30 s), plus recovery
 * codes. Time comes from the caller, so the injected clock decides which code is current.
 */
export const TOTP_PERIOD_SECONDS = 30;
/** One step either side: a phone clock a little off, or a code typed as it rolled over. */
const TOLERANCE_SECONDS = TOTP_PERIOD_SECONDS;
export const TOTP_CODE_PATTERN = /^\d{6}$/;
export const RECOVERY_CODE_COUNT = 10;

export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

export function totpUri(secret: string, account: string): string {
  return generateURI({ issuer: 'medmentor', label: account, secret });
}

/** The provisioning URI as an SVG QR code in a data URL, which the page's CSP allows as an image. */
export async function totpQrCode(uri: string): Promise<string> {
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

/** The current code; for tests and the demo, never sent anywhere by the server. */
export function totpCodeAt(secret: string, at: Date): Promise<string> {
  return generate({ secret, epoch: Math.floor(at.getTime() / 1000) });
}

/**
 * The time step a code belongs to, or null when it is wrong, malformed, or not newer than the
 * last accepted step (so a code seen once, even over someone's shoulder, never works again).
 */
export async function acceptedTimeStep(
  secret: string,
  code: string,
  at: Date,
  lastTimeStep: number | null,
): Promise<number | null> {
  if (!TOTP_CODE_PATTERN.test(code)) return null;
  try {
    const result = await verify({
      secret,
      token: code,
      epoch: Math.floor(at.getTime() / 1000),
      epochTolerance: TOLERANCE_SECONDS,
      ...(lastTimeStep === null ? {} : { afterTimeStep: lastTimeStep }),
    });
    // The functional API answers for HOTP too; a TOTP result always carries its time step.
    return result.valid && 'timeStep' in result ? result.timeStep : null;
  } catch {
    return null;
  }
}

/** 32 characters without l, o, 0 and 1, which read alike: five unbiased bits each. */
const RECOVERY_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** Ten codes of 16 characters (80 bits each), grouped in fours to read and type. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const bytes = randomBytes(16);
    const chars = [...bytes].map((b) => RECOVERY_ALPHABET[b & 31]).join('');
    return chars.match(/.{4}/g)!.join('-');
  });
}

/** Spaces, dashes and case don't matter when a recovery code is typed back. */
export function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function hashRecoveryCode(code: string): string {
  return sha256Hex(`mm-recovery:${normalizeRecoveryCode(code)}`);
}
