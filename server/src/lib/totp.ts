import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * One-time passwords (RFC 4226 HOTP, RFC 6238 TOTP) with node:crypto only: the second,
 * cryptographic login factor 等保 2.0 level 3 asks of privileged users.
 */

export type OtpAlgorithm = 'sha1' | 'sha256' | 'sha512';

export interface TotpOptions {
  /** Seconds per step; 30 is what every authenticator app assumes. */
  step?: number;
  digits?: 6 | 8;
  algo?: OtpAlgorithm;
}

export type TotpVerification = { ok: true; step: number } | { ok: false };

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const SECRET_BYTES = 20;

/** A new random secret: 20 bytes (the RFC 4226 recommended 160 bits), base32 without padding. */
export function generateSecret(): string {
  return base32Encode(randomBytes(SECRET_BYTES));
}

/** RFC 4648 base32, upper case, no padding (the form otpauth:// URLs carry). */
export function base32Encode(data: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of data) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += BASE32_ALPHABET[(buffer >>> bits) & 31];
    }
    // Only the low `bits` bits are still needed; dropping the rest keeps `buffer` small.
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32_ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/** Decodes RFC 4648 base32; ignores case, spaces, hyphens and '=' padding as people type them. */
export function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s=-]/g, '').toUpperCase();
  // Lengths 1, 3 and 6 (mod 8) cannot come from whole bytes: the text was cut short.
  if ([1, 3, 6].includes(clean.length % 8)) throw new Error('Invalid base32: wrong length');
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const ch of clean) {
    const v = BASE32_ALPHABET.indexOf(ch);
    if (v === -1) throw new Error(`Invalid base32 character ${JSON.stringify(ch)}`);
    buffer = (buffer << 5) | v;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((buffer >>> bits) & 0xff);
    }
    buffer &= (1 << bits) - 1;
  }
  return Buffer.from(out);
}

/** RFC 4226 HOTP: the code for one counter value, zero-padded to `digits`. */
export function hotp(secret: Buffer, counter: bigint | number, digits = 6, algo: OtpAlgorithm = 'sha1'): string {
  const c = BigInt(counter);
  if (c < 0n || c > 0xffffffffffffffffn) throw new RangeError('HOTP counter must fit in 64 unsigned bits');
  if (!Number.isInteger(digits) || digits < 6 || digits > 10) throw new RangeError('HOTP digits must be 6–10');
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(c);
  const mac = createHmac(algo, secret).update(msg).digest();
  // Dynamic truncation (RFC 4226 §5.3): the last nibble picks 4 bytes, top bit cleared.
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return (binary % 10 ** digits).toString().padStart(digits, '0');
}

/** The time step a moment falls in (Unix seconds / step, rounded down). */
export function totpStep(timeMs: number, step = 30): number {
  return Math.floor(timeMs / 1000 / step);
}

/** RFC 6238 TOTP: the code at `timeMs` (Unix milliseconds). */
export function totp(secret: Buffer, timeMs: number, opts: TotpOptions = {}): string {
  return hotp(secret, totpStep(timeMs, opts.step ?? 30), opts.digits ?? 6, opts.algo ?? 'sha1');
}

/**
 * Checks a code against the steps around `timeMs` (±window, for clock drift and typing time).
 * A step at or before `lastUsedStep` is refused, so a code seen over a shoulder cannot be reused;
 * store the returned step as the user's new lastUsedStep.
 */
export function verifyTotp(
  secretBase32: string,
  code: string,
  timeMs: number,
  opts: TotpOptions & { window?: number; lastUsedStep?: number | null } = {},
): TotpVerification {
  const digits = opts.digits ?? 6;
  const window = opts.window ?? 1;
  const given = code.replace(/\s/g, '');
  if (!new RegExp(`^\\d{${digits}}$`).test(given)) return { ok: false };
  const secret = base32Decode(secretBase32);
  const current = totpStep(timeMs, opts.step ?? 30);
  const givenBytes = Buffer.from(given);
  let matched: number | null = null;
  // Check every step in the window, without stopping early, so timing does not tell which matched.
  for (let s = current - window; s <= current + window; s++) {
    if (s < 0) continue;
    const expected = Buffer.from(hotp(secret, s, digits, opts.algo ?? 'sha1'));
    const equal = timingSafeEqual(expected, givenBytes);
    const fresh = opts.lastUsedStep === undefined || opts.lastUsedStep === null || s > opts.lastUsedStep;
    if (equal && fresh && matched === null) matched = s;
  }
  return matched === null ? { ok: false } : { ok: true, step: matched };
}

/** The otpauth:// URL an authenticator app scans from a QR code (Key Uri Format). */
export function otpauthUrl(opts: {
  secretBase32: string;
  account: string;
  issuer?: string;
  digits?: 6 | 8;
  step?: number;
  algo?: OtpAlgorithm;
}): string {
  const issuer = opts.issuer ?? '乡桥 Xiangqiao';
  // encodeURIComponent, not URLSearchParams: some apps show a '+' for a space literally.
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(opts.account)}`;
  const params = [
    ['secret', opts.secretBase32.replace(/[\s=-]/g, '').toUpperCase()],
    ['issuer', issuer],
    ['algorithm', (opts.algo ?? 'sha1').toUpperCase()],
    ['digits', String(opts.digits ?? 6)],
    ['period', String(opts.step ?? 30)],
  ];
  return `otpauth://totp/${label}?${params.map(([k, v]) => `${k}=${encodeURIComponent(v ?? '')}`).join('&')}`;
}
