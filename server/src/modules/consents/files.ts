import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { FieldCryptoError, type KeyRing } from '../../lib/crypto.js';

/**
 * Scanned consent forms: file-type sniffing and byte encryption.
 *
 * Bytes are sealed like lib/crypto's encryptField (AES-256-GCM under the ring's active key, fresh
 * 12-byte nonce), but stored as binary, not text: a 10 MB scan would grow by a third as base64.
 * Layout: `0x01 | keyId (4 bytes) | nonce (12) | ciphertext | tag (16)`. The header and a caller
 * context (e.g. `consent_document:<id>`) are authenticated, so a blob cannot be relabelled with
 * another key id or moved to another row and still decrypt.
 */

const VERSION = 0x01;
const KEY_ID_BYTES = 4;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + KEY_ID_BYTES;

function aad(header: Buffer, context: string): Buffer {
  return Buffer.concat([header, Buffer.from(`\0${context}`, 'utf8')]);
}

/** Encrypts a file's bytes under the active key; `context` must be given again to decrypt. */
export function encryptBytes(ring: KeyRing, plain: Uint8Array, context: string): Buffer {
  const key = ring.encKeys.get(ring.activeKeyId);
  if (key === undefined) throw new Error(`Key ring has no key for its active id ${ring.activeKeyId}`);
  const header = Buffer.concat([Buffer.from([VERSION]), Buffer.from(ring.activeKeyId, 'hex')]);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad(header, context));
  return Buffer.concat([header, nonce, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

/** Decrypts what encryptBytes made; throws FieldCryptoError for unknown keys, a wrong context or tampering. */
export function decryptBytes(ring: KeyRing, stored: Uint8Array, context: string): Buffer {
  const buf = Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength);
  if (buf.length < HEADER_BYTES + NONCE_BYTES + TAG_BYTES || buf[0] !== VERSION) {
    throw new FieldCryptoError('malformed', 'Encrypted file is not in the v1 binary format');
  }
  const header = buf.subarray(0, HEADER_BYTES);
  const keyId = header.subarray(1).toString('hex');
  const key = ring.encKeys.get(keyId);
  if (key === undefined) {
    throw new FieldCryptoError('unknown_key', `Encrypted file uses key id ${keyId}, which is not in the key ring`);
  }
  const nonce = buf.subarray(HEADER_BYTES, HEADER_BYTES + NONCE_BYTES);
  const body = buf.subarray(HEADER_BYTES + NONCE_BYTES, buf.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  decipher.setAAD(aad(header, context));
  decipher.setAuthTag(buf.subarray(buf.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw new FieldCryptoError('tampered', 'Encrypted file failed authentication: it was altered, corrupted or moved');
  }
}

export type ScanMime = 'image/jpeg' | 'image/png' | 'application/pdf';

/** The file types a scanned form may be, by their first bytes; the client's declared type is not trusted. */
export function sniffScan(bytes: Uint8Array): ScanMime | null {
  const starts = (sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf'; // %PDF-
  return null;
}

export const SCAN_EXTENSIONS: Record<ScanMime, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'application/pdf': 'pdf' };

export const MAX_SCAN_BYTES = 10 * 1024 * 1024;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
