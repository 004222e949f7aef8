import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
} from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Field encryption for sensitive personal data (PIPL Art. 51, 等保 2.0 confidentiality at rest).
 *
 * Values are stored as `v1.<keyId>.<nonce>.<ciphertext+tag>` so every value names the key that
 * sealed it: rotation is "put a new master key first, re-encrypt in the background", and old rows
 * keep decrypting meanwhile. Exact-match search on encrypted columns goes through `blindIndex`.
 */

/** The keys one process holds: the active key encrypts, every key decrypts. */
export interface KeyRing {
  activeKeyId: string;
  encKeys: Map<string, Buffer>;
  blindKey: Buffer;
}

/** Why a stored value could not be decrypted; a stable id callers can switch on. */
export type FieldCryptoErrorCode = 'malformed' | 'unknown_key' | 'tampered';

/** Raised by decryptField and friends; the message never contains key material or plaintext. */
export class FieldCryptoError extends Error {
  readonly code: FieldCryptoErrorCode;
  constructor(code: FieldCryptoErrorCode, message: string) {
    super(message);
    this.name = 'FieldCryptoError';
    this.code = code;
  }
}

const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const FORMAT_VERSION = 'v1';
const ENC_INFO = 'xiangqiao/field-encryption/v1';
const BLIND_INFO = 'xiangqiao/blind-index/v1';
const KEY_FILE = 'master.key';

interface KeyFile {
  version: 1;
  keys: { key: string; createdAt: string }[];
}

/** Loads master keys from XQ_MASTER_KEY (comma-separated, newest first) or `<dataDir>/master.key`. */
export function loadKeyRing(opts: { masterKey?: string; dataDir: string }): KeyRing {
  const masters =
    opts.masterKey !== undefined && opts.masterKey.trim() !== ''
      ? parseMasterKeyList(opts.masterKey)
      : readOrCreateKeyFile(opts.dataDir);
  return buildKeyRing(masters);
}

/** Derives the ring from raw master keys, newest (active) first. */
export function buildKeyRing(masters: Buffer[]): KeyRing {
  const first = masters[0];
  const oldest = masters[masters.length - 1];
  if (first === undefined || oldest === undefined) throw new Error('At least one master key is required');
  const encKeys = new Map<string, Buffer>();
  let activeKeyId = '';
  for (const master of masters) {
    const encKey = derive(master, ENC_INFO);
    const id = keyIdFor(encKey);
    if (activeKeyId === '') activeKeyId = id;
    encKeys.set(id, encKey);
  }
  // The blind key comes from the oldest master so that putting a new key in front (rotation)
  // leaves every stored blind index valid; re-indexing millions of rows is not a rotation step.
  return { activeKeyId, encKeys, blindKey: derive(oldest, BLIND_INFO) };
}

/** Parses XQ_MASTER_KEY: comma-separated 32-byte keys, each base64 or 64 hex characters. */
export function parseMasterKeyList(value: string): Buffer[] {
  const entries = value.split(',').map((s) => s.trim());
  return entries.map((entry, i) => {
    const key = decodeKey(entry);
    if (key === null) {
      // Never echo the entry: it may be a real key with a typo.
      throw new Error(
        `XQ_MASTER_KEY entry ${i + 1} of ${entries.length} is not a 32-byte key; ` +
          'give 64 hex characters or 44 base64 characters (e.g. `openssl rand -base64 32`)',
      );
    }
    return key;
  });
}

function decodeKey(s: string): Buffer | null {
  if (/^[0-9a-fA-F]{64}$/.test(s)) return Buffer.from(s, 'hex');
  // Node's base64 decoder skips junk silently, so check the shape first and the length after.
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(s)) return null;
  const key = Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return key.length === KEY_BYTES ? key : null;
}

function derive(master: Buffer, info: string): Buffer {
  // The masters are uniformly random, so HKDF's extract step needs no salt (RFC 5869 §3.1).
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info, KEY_BYTES));
}

function keyIdFor(encKey: Buffer): string {
  return createHash('sha256').update(encKey).digest('hex').slice(0, 8);
}

function readOrCreateKeyFile(dataDir: string): Buffer[] {
  const path = join(dataDir, KEY_FILE);
  try {
    return readKeyFile(path);
  } catch (err) {
    if (!isErrno(err, 'ENOENT')) throw err;
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file: KeyFile = {
    version: 1,
    keys: [{ key: randomBytes(KEY_BYTES).toString('base64'), createdAt: new Date().toISOString() }],
  };
  // Write a complete temporary file, then hard-link it into place: link fails if master.key
  // already exists, so two processes starting together never overwrite each other's key, and
  // the loser never reads a half-written file.
  const tmp = join(dataDir, `${KEY_FILE}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  writeFileSync(tmp, JSON.stringify(file, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
  try {
    linkSync(tmp, path);
  } catch (err) {
    if (isErrno(err, 'EEXIST')) {
      // Another process won the race; use its key.
    } else if (isErrno(err, 'EPERM') || isErrno(err, 'ENOTSUP') || isErrno(err, 'ENOSYS')) {
      // Some mounted filesystems have no hard links: exclusive create still never overwrites.
      writeKeyFileExclusive(path, file);
    } else {
      throw err;
    }
  } finally {
    unlinkSync(tmp);
  }
  return readKeyFile(path);
}

function writeKeyFileExclusive(path: string, file: KeyFile): void {
  try {
    writeFileSync(path, JSON.stringify(file, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if (!isErrno(err, 'EEXIST')) throw err;
  }
}

function readKeyFile(path: string): Buffer[] {
  const st = statSync(path);
  // Windows has no POSIX modes; there the data directory's ACL has to protect the key.
  if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
    const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
    throw new Error(
      `Refusing to use ${path}: its mode ${mode} lets other users read the master key. ` +
        `Fix with: chmod 600 ${path}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new Error(`${path} is not valid JSON; restore it from backup (without it encrypted data is lost)`);
  }
  if (!isKeyFile(parsed)) {
    throw new Error(`${path} must look like {"version":1,"keys":[{"key":"<base64>","createdAt":"<iso>"}]}`);
  }
  return parsed.keys.map((k, i) => {
    const key = decodeKey(k.key);
    if (key === null) throw new Error(`${path}: keys[${i}] is not a 32-byte base64 key`);
    return key;
  });
}

function isKeyFile(v: unknown): v is KeyFile {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as { version?: unknown; keys?: unknown };
  return (
    o.version === 1 &&
    Array.isArray(o.keys) &&
    o.keys.length > 0 &&
    o.keys.every((k: unknown) => typeof k === 'object' && k !== null && typeof (k as { key?: unknown }).key === 'string')
  );
}

function isErrno(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}

/** Encrypts one field value under the active key (AES-256-GCM, fresh random nonce). */
export function encryptField(ring: KeyRing, plaintext: string): string {
  const key = ring.encKeys.get(ring.activeKeyId);
  if (key === undefined) throw new Error(`Key ring has no key for its active id ${ring.activeKeyId}`);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  // The header is authenticated too, so a value cannot be relabelled with another version or key id.
  cipher.setAAD(Buffer.from(`${FORMAT_VERSION}.${ring.activeKeyId}`));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${FORMAT_VERSION}.${ring.activeKeyId}.${nonce.toString('base64url')}.${body.toString('base64url')}`;
}

/** Decrypts a value made by encryptField; throws FieldCryptoError for unknown keys or tampering. */
export function decryptField(ring: KeyRing, stored: string): string {
  const parts = parseStored(stored);
  const key = ring.encKeys.get(parts.keyId);
  if (key === undefined) {
    throw new FieldCryptoError(
      'unknown_key',
      `Encrypted field uses key id ${parts.keyId}, which is not in the key ring; ` +
        'was an old master key removed from XQ_MASTER_KEY or master.key?',
    );
  }
  const decipher = createDecipheriv('aes-256-gcm', key, parts.nonce);
  decipher.setAAD(Buffer.from(`${FORMAT_VERSION}.${parts.keyId}`));
  decipher.setAuthTag(parts.body.subarray(parts.body.length - TAG_BYTES));
  try {
    return Buffer.concat([
      decipher.update(parts.body.subarray(0, parts.body.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    throw new FieldCryptoError('tampered', 'Encrypted field failed authentication: it was altered or corrupted');
  }
}

/** Re-encrypts under the active key for rotation jobs; a value already under it comes back unchanged. */
export function reencryptField(ring: KeyRing, stored: string): string {
  // Decrypt even when the key is current, so a rotation job also surfaces corrupted rows.
  const plaintext = decryptField(ring, stored);
  if (keyIdOf(stored) === ring.activeKeyId) return stored;
  return encryptField(ring, plaintext);
}

/** The key id a stored value was encrypted with (to find rows a rotation job still has to visit). */
export function keyIdOf(stored: string): string {
  return parseStored(stored).keyId;
}

function parseStored(stored: string): { keyId: string; nonce: Buffer; body: Buffer } {
  const parts = stored.split('.');
  const [version, keyId, nonceText, bodyText] = parts;
  if (
    parts.length !== 4 ||
    version !== FORMAT_VERSION ||
    keyId === undefined ||
    !/^[0-9a-f]{8}$/.test(keyId) ||
    nonceText === undefined ||
    bodyText === undefined
  ) {
    throw new FieldCryptoError('malformed', 'Encrypted field is not in the v1.<keyId>.<nonce>.<data> format');
  }
  const nonce = strictBase64url(nonceText);
  const body = strictBase64url(bodyText);
  if (nonce === null || body === null || nonce.length !== NONCE_BYTES || body.length < TAG_BYTES) {
    throw new FieldCryptoError('malformed', 'Encrypted field has a damaged nonce or data part');
  }
  return { keyId, nonce, body };
}

function strictBase64url(s: string): Buffer | null {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) return null;
  const buf = Buffer.from(s, 'base64url');
  // Re-encoding catches edits to the unused low bits of the last character, which the decoder
  // would otherwise ignore: every changed character of a stored value must be detected.
  return buf.toString('base64url') === s ? buf : null;
}

/** Deterministic keyed hash for exact-match search over an encrypted field, separated by purpose. */
export function blindIndex(ring: KeyRing, purpose: string, value: string): string {
  if (purpose === '' || purpose.includes('\0')) throw new Error('blindIndex purpose must be non-empty without NUL');
  return createHmac('sha256', ring.blindKey)
    .update(`${purpose}\0${normalizeForIndex(value)}`, 'utf8')
    .digest('hex');
}

/** The form blindIndex hashes: trimmed, NFKC, upper case; phone/ID-like values lose spaces and hyphens. */
export function normalizeForIndex(value: string): string {
  // NFKC folds full-width digits (common with Chinese IMEs) to ASCII; upper case makes a
  // trailing x in an ID number match X.
  const v = value.trim().normalize('NFKC').toUpperCase();
  const compact = v.replace(/[\s-]+/g, '');
  // Only number-like values are compacted: "138 1234-5581" is one phone number, but spaces in
  // a name or an address carry meaning.
  return /^\+?\d+X?$/.test(compact) ? compact : v;
}

/** 11010519491231002X → 1101**********002X; shorter input keeps at most a quarter at each end. */
export function maskIdNumber(id: string): string {
  const cps = Array.from(id.trim());
  const keep = cps.length >= 12 ? 4 : Math.floor(cps.length / 4);
  return keepEnds(cps, keep, keep);
}

/** 13812345581 → 138****5581; 0731-84512345 → 0731-****2345. */
export function maskPhone(phone: string): string {
  const p = phone.trim();
  // Mobile numbers are often typed in groups ("138 1234 5581") or with the country code.
  const mobile = /^(\+?86)?(1\d{10})$/.exec(p.replace(/[\s-]/g, ''));
  if (mobile) {
    const [, country, m = ''] = mobile;
    return `${country !== undefined ? `${country} ` : ''}${m.slice(0, 3)}****${m.slice(-4)}`;
  }
  const withSeparator = /^(0\d{2,3})([-\s])(\d{7,8})$/.exec(p);
  if (withSeparator) {
    const [, area = '', sep = '', local = ''] = withSeparator;
    return `${area}${sep}****${local.slice(-4)}`;
  }
  if (/^0\d{9,11}$/.test(p)) {
    // Beijing 010 and the 02x cities have 3-digit area codes; every other area code has 4.
    const areaLength = /^0[12]/.test(p) ? 3 : 4;
    const localLength = p.length - areaLength;
    if (localLength >= 7 && localLength <= 8) return `${p.slice(0, areaLength)}****${p.slice(-4)}`;
  }
  const cps = Array.from(p);
  const keep = Math.floor(cps.length / 4);
  return keepEnds(cps, Math.min(3, keep), Math.min(4, keep));
}

/** 王桂英 → 王**: keeps the first character only. */
export function maskName(name: string): string {
  const cps = Array.from(name.trim());
  // A one-character name would be shown whole, so it is hidden entirely.
  if (cps.length <= 1) return '*'.repeat(cps.length);
  return keepEnds(cps, 1, 0);
}

/** Keeps the first 6 characters (roughly province/city/county) and hides the rest as ****. */
export function maskAddress(address: string): string {
  const cps = Array.from(address.trim());
  if (cps.length === 0) return '';
  // Short addresses would otherwise be shown whole; keep at most half of them.
  const keep = Math.min(6, Math.floor(cps.length / 2));
  return `${cps.slice(0, keep).join('')}****`;
}

function keepEnds(cps: string[], head: number, tail: number): string {
  if (cps.length === 0) return '';
  const hidden = Math.max(0, cps.length - head - tail);
  return cps.slice(0, head).join('') + '*'.repeat(hidden) + (tail > 0 ? cps.slice(cps.length - tail).join('') : '');
}
