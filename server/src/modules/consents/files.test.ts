import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildKeyRing, FieldCryptoError } from '../../lib/crypto.js';
import { decryptBytes, encryptBytes, sniffScan } from './files.js';

const ring = buildKeyRing([randomBytes(32)]);

describe('encryptBytes / decryptBytes', () => {
  it('round-trips any bytes and never stores them in the clear', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 2000 }), (plain) => {
        const sealed = encryptBytes(ring, plain, 'consent_document:x');
        expect(Buffer.compare(decryptBytes(ring, sealed, 'consent_document:x'), Buffer.from(plain))).toBe(0);
        if (plain.length >= 16) expect(sealed.includes(Buffer.from(plain))).toBe(false);
      }),
      { numRuns: 50 },
    );
  });

  it('refuses a blob moved to another row, tampered with, or under an unknown key', () => {
    const sealed = encryptBytes(ring, Buffer.from('%PDF-1.4 signed form'), 'consent_document:a');
    expect(() => decryptBytes(ring, sealed, 'consent_document:b')).toThrow(FieldCryptoError);
    for (let i = 0; i < sealed.length; i += 7) {
      const bad = Buffer.from(sealed);
      bad[i] = (bad[i] ?? 0) ^ 1;
      expect(() => decryptBytes(ring, bad, 'consent_document:a')).toThrow(FieldCryptoError);
    }
    expect(() => decryptBytes(buildKeyRing([randomBytes(32)]), sealed, 'consent_document:a')).toThrow(/not in the key ring/);
    expect(() => decryptBytes(ring, sealed.subarray(0, 10), 'consent_document:a')).toThrow(FieldCryptoError);
  });

  it('keeps decrypting after a new master key is put in front (rotation)', () => {
    const old = randomBytes(32);
    const sealed = encryptBytes(buildKeyRing([old]), Buffer.from('scan'), 'c');
    expect(decryptBytes(buildKeyRing([randomBytes(32), old]), sealed, 'c').toString()).toBe('scan');
  });
});

describe('sniffScan', () => {
  it('knows JPEG, PNG and PDF by their first bytes and nothing else', () => {
    expect(sniffScan(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toBe('image/jpeg');
    expect(sniffScan(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(sniffScan(Buffer.from('%PDF-1.7\n'))).toBe('application/pdf');
    expect(sniffScan(Buffer.from('GIF89a'))).toBeNull();
    expect(sniffScan(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(sniffScan(Buffer.from('PK\x03\x04'))).toBeNull();
    expect(sniffScan(Buffer.from([0xff, 0xd8]))).toBeNull();
    expect(sniffScan(Buffer.alloc(0))).toBeNull();
  });
});
