import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  base32Decode,
  base32Encode,
  generateSecret,
  hotp,
  otpauthUrl,
  totp,
  totpStep,
  verifyTotp,
  type OtpAlgorithm,
} from './totp.js';

const SEED_SHA1 = Buffer.from('12345678901234567890', 'ascii');
const SEED_SHA256 = Buffer.from('12345678901234567890123456789012', 'ascii');
const SEED_SHA512 = Buffer.from('1234567890123456789012345678901234567890123456789012345678901234', 'ascii');

describe('RFC 6238 Appendix B test vectors (8 digits, 30 s step)', () => {
  const seeds: Record<OtpAlgorithm, Buffer> = { sha1: SEED_SHA1, sha256: SEED_SHA256, sha512: SEED_SHA512 };
  const vectors: [number, string, OtpAlgorithm][] = [
    [59, '94287082', 'sha1'],
    [59, '46119246', 'sha256'],
    [59, '90693936', 'sha512'],
    [1111111109, '07081804', 'sha1'],
    [1111111109, '68084774', 'sha256'],
    [1111111109, '25091201', 'sha512'],
    [1111111111, '14050471', 'sha1'],
    [1111111111, '67062674', 'sha256'],
    [1111111111, '99943326', 'sha512'],
    [1234567890, '89005924', 'sha1'],
    [1234567890, '91819424', 'sha256'],
    [1234567890, '93441116', 'sha512'],
    [2000000000, '69279037', 'sha1'],
    [2000000000, '90698825', 'sha256'],
    [2000000000, '38618901', 'sha512'],
    [20000000000, '65353130', 'sha1'],
    [20000000000, '77737706', 'sha256'],
    [20000000000, '47863826', 'sha512'],
  ];

  it.each(vectors)('T=%i → %s (%s)', (seconds, expected, algo) => {
    expect(totp(seeds[algo], seconds * 1000, { digits: 8, algo })).toBe(expected);
  });

  it.each(vectors)('verifyTotp accepts T=%i %s (%s)', (seconds, code, algo) => {
    const result = verifyTotp(base32Encode(seeds[algo]), code, seconds * 1000, { digits: 8, algo, window: 0 });
    expect(result).toEqual({ ok: true, step: Math.floor(seconds / 30) });
  });
});

describe('RFC 4226 Appendix D HOTP test vectors', () => {
  const codes = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
  it.each(codes.map((c, i) => [i, c] as const))('counter %i → %s', (counter, expected) => {
    expect(hotp(SEED_SHA1, counter)).toBe(expected);
    expect(hotp(SEED_SHA1, BigInt(counter))).toBe(expected);
  });

  it('rejects counters outside 64 unsigned bits and silly digit counts', () => {
    expect(() => hotp(SEED_SHA1, -1)).toThrow(RangeError);
    expect(() => hotp(SEED_SHA1, 2n ** 64n)).toThrow(RangeError);
    expect(hotp(SEED_SHA1, 2n ** 64n - 1n)).toMatch(/^\d{6}$/);
    expect(() => hotp(SEED_SHA1, 0, 4)).toThrow(RangeError);
  });
});

describe('base32 (RFC 4648)', () => {
  it.each([
    ['', ''],
    ['f', 'MY'],
    ['fo', 'MZXQ'],
    ['foo', 'MZXW6'],
    ['foob', 'MZXW6YQ'],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI'],
  ])('RFC 4648 §10 vector %j → %j (no padding)', (plain, encoded) => {
    expect(base32Encode(Buffer.from(plain))).toBe(encoded);
    expect(base32Decode(encoded).toString()).toBe(plain);
  });

  it('decodes padded, lower-case and spaced input as people type it', () => {
    expect(base32Decode('MZXW6YTBOI======').toString()).toBe('foobar');
    expect(base32Decode('mzxw 6ytb-oi').toString()).toBe('foobar');
  });

  it('rejects characters outside the alphabet and impossible lengths', () => {
    expect(() => base32Decode('MZXW1')).toThrow(/character "1"/);
    expect(() => base32Decode('MZXW8')).toThrow(/Invalid base32/);
    expect(() => base32Decode('M')).toThrow(/length/);
    expect(() => base32Decode('MZX')).toThrow(/length/);
  });

  it('round-trips any bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const encoded = base32Encode(bytes);
        expect(encoded).toMatch(/^[A-Z2-7]*$/);
        expect(encoded).toHaveLength(Math.ceil((bytes.length * 8) / 5));
        expect(base32Decode(encoded).equals(Buffer.from(bytes))).toBe(true);
        expect(base32Decode(encoded.toLowerCase()).equals(Buffer.from(bytes))).toBe(true);
      }),
    );
  });
});

describe('generateSecret', () => {
  it('gives 20 random bytes as 32 base32 characters', () => {
    const a = generateSecret();
    expect(a).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(a)).toHaveLength(20);
    expect(generateSecret()).not.toBe(a);
  });
});

describe('verifyTotp', () => {
  const secret = generateSecret();
  const key = base32Decode(secret);
  const t = Date.UTC(2026, 10, 29, 2, 0, 10);
  const step = totpStep(t);

  it('accepts the current code and returns its step', () => {
    expect(verifyTotp(secret, totp(key, t), t)).toEqual({ ok: true, step });
  });

  it('accepts the neighbouring steps with the default window of 1, not further', () => {
    expect(verifyTotp(secret, totp(key, t - 30_000), t)).toEqual({ ok: true, step: step - 1 });
    expect(verifyTotp(secret, totp(key, t + 30_000), t)).toEqual({ ok: true, step: step + 1 });
    const twoAway = totp(key, t - 60_000);
    // A code may coincide with a neighbour's by chance (1 in a million); skip the check then.
    if (![-1, 0, 1].some((d) => totp(key, t + d * 30_000) === twoAway)) {
      expect(verifyTotp(secret, twoAway, t)).toEqual({ ok: false });
      expect(verifyTotp(secret, twoAway, t, { window: 2 })).toEqual({ ok: true, step: step - 2 });
    }
  });

  it('window 0 accepts only the current step', () => {
    const previous = totp(key, t - 30_000);
    if (previous !== totp(key, t)) expect(verifyTotp(secret, previous, t, { window: 0 })).toEqual({ ok: false });
  });

  it('refuses replay: a step at or before lastUsedStep', () => {
    const code = totp(key, t);
    const first = verifyTotp(secret, code, t, { lastUsedStep: null });
    expect(first).toEqual({ ok: true, step });
    expect(verifyTotp(secret, code, t, { lastUsedStep: step })).toEqual({ ok: false });
    expect(verifyTotp(secret, code, t + 5_000, { lastUsedStep: step + 1 })).toEqual({ ok: false });
    // The previous step's code, still inside the window, is refused once a later step was used.
    expect(verifyTotp(secret, totp(key, t - 30_000), t, { lastUsedStep: step })).toEqual({ ok: false });
    // The next step's code is fine.
    expect(verifyTotp(secret, totp(key, t + 30_000), t + 30_000, { lastUsedStep: step })).toEqual({
      ok: true,
      step: step + 1,
    });
  });

  it('refuses wrong, malformed and wrong-length codes without throwing', () => {
    const good = totp(key, t);
    const wrong = String((Number(good) + 1) % 1_000_000).padStart(6, '0');
    if (![-1, 0, 1].some((d) => totp(key, t + d * 30_000) === wrong)) {
      expect(verifyTotp(secret, wrong, t)).toEqual({ ok: false });
    }
    for (const bad of ['', '12345', '1234567', 'abcdef', '12345６', `${good}\n1`]) {
      expect(verifyTotp(secret, bad, t)).toEqual({ ok: false });
    }
  });

  it('tolerates spaces typed inside the code', () => {
    const good = totp(key, t);
    expect(verifyTotp(secret, `${good.slice(0, 3)} ${good.slice(3)}`, t)).toEqual({ ok: true, step });
  });

  it('does not look at negative steps near the epoch', () => {
    expect(verifyTotp(secret, totp(key, 0), 0)).toEqual({ ok: true, step: 0 });
  });

  it('a code is accepted at all times inside its step and the window (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 30_000, max: 4_000_000_000_000 }), fc.integer({ min: -1, max: 1 }), (now, d) => {
        const when = now + d * 30_000;
        const result = verifyTotp(secret, totp(key, when), now);
        expect(result.ok).toBe(true);
      }),
    );
  });
});

describe('otpauthUrl', () => {
  it('builds a Key Uri Format URL with the issuer percent-encoded', () => {
    const url = otpauthUrl({ secretBase32: 'JBSWY3DPEHPK3PXP', account: 'wang.gy@station-12' });
    expect(url).toBe(
      'otpauth://totp/%E4%B9%A1%E6%A1%A5%20Xiangqiao:wang.gy%40station-12' +
        '?secret=JBSWY3DPEHPK3PXP&issuer=%E4%B9%A1%E6%A1%A5%20Xiangqiao&algorithm=SHA1&digits=6&period=30',
    );
    const parsed = new URL(url);
    expect(parsed.protocol).toBe('otpauth:');
    expect(parsed.searchParams.get('issuer')).toBe('乡桥 Xiangqiao');
    expect(parsed.host).toBe('totp');
    expect(decodeURIComponent(parsed.pathname)).toBe('/乡桥 Xiangqiao:wang.gy@station-12');
  });

  it('encodes characters that would break the label or query', () => {
    const url = otpauthUrl({ secretBase32: 'jbsw y3dp', account: '王 a:b&c?d#e', issuer: 'X&Y', digits: 8, algo: 'sha256' });
    expect(url).not.toMatch(/[ #]/);
    expect(url).toContain('otpauth://totp/X%26Y:%E7%8E%8B%20a%3Ab%26c%3Fd%23e?');
    expect(url).toContain('secret=JBSWY3DP&issuer=X%26Y&algorithm=SHA256&digits=8&period=30');
    expect(new URL(url).searchParams.get('issuer')).toBe('X&Y');
  });
});
