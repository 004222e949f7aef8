import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  FieldCryptoError,
  blindIndex,
  buildKeyRing,
  decryptField,
  encryptField,
  keyIdOf,
  loadKeyRing,
  maskAddress,
  maskIdNumber,
  maskName,
  maskPhone,
  normalizeForIndex,
  parseMasterKeyList,
  reencryptField,
} from './crypto.js';

const posix = process.platform !== 'win32';
const dirs: string[] = [];

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'xq-crypto-'));
  dirs.push(d);
  return d;
}

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const keyA = randomBytes(32);
const keyB = randomBytes(32);
const ringA = buildKeyRing([keyA]);

function expectCode(fn: () => unknown, code: FieldCryptoError['code']): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(FieldCryptoError);
    expect((err as FieldCryptoError).code).toBe(code);
    return;
  }
  throw new Error(`expected a FieldCryptoError with code ${code}`);
}

describe('encryptField / decryptField', () => {
  it.each([
    ['ASCII', 'hello'],
    ['ID number', '11010519491231002X'],
    ['Chinese', '王桂英，湖南省长沙市望城区乔口镇柳林村3组'],
    ['empty string', ''],
    ['emoji and astral characters', '👵🏻 𠀀 ok'],
    ['long text', '个案记录：'.repeat(20_000)],
  ])('round-trips %s', (_label, plaintext) => {
    expect(decryptField(ringA, encryptField(ringA, plaintext))).toBe(plaintext);
  });

  it('produces the v1.<keyId>.<nonce>.<data> format', () => {
    const stored = encryptField(ringA, 'x');
    expect(stored).toMatch(/^v1\.[0-9a-f]{8}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(keyIdOf(stored)).toBe(ringA.activeKeyId);
  });

  it('uses a fresh nonce for every value, so equal plaintexts differ', () => {
    const seen = new Set<string>();
    const nonces = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const stored = encryptField(ringA, 'same');
      seen.add(stored);
      nonces.add(stored.split('.')[2] ?? '');
    }
    expect(seen.size).toBe(200);
    expect(nonces.size).toBe(200);
  });

  it('detects a change to any character of the stored value', () => {
    const stored = encryptField(ringA, '低保 身份证 11010519491231002X');
    for (let i = 0; i < stored.length; i++) {
      const c = stored[i];
      // Pick a replacement that is still in the alphabet of that part, so only the crypto can catch it.
      const replacement = c === 'A' ? 'B' : c === '.' ? '_' : 'A';
      const tampered = stored.slice(0, i) + replacement + stored.slice(i + 1);
      expect(() => decryptField(ringA, tampered), `position ${i}`).toThrow(FieldCryptoError);
    }
  });

  it('detects a flipped bit in any byte of nonce, ciphertext or tag', () => {
    const stored = encryptField(ringA, 'sensitive');
    const [v, id, nonceText = '', bodyText = ''] = stored.split('.');
    const nonce = Buffer.from(nonceText, 'base64url');
    const body = Buffer.from(bodyText, 'base64url');
    for (let i = 0; i < nonce.length; i++) {
      const n = Buffer.from(nonce);
      n[i] = (n[i] ?? 0) ^ 0x01;
      expectCode(() => decryptField(ringA, [v, id, n.toString('base64url'), bodyText].join('.')), 'tampered');
    }
    for (let i = 0; i < body.length; i++) {
      const b = Buffer.from(body);
      b[i] = (b[i] ?? 0) ^ 0x80;
      expectCode(() => decryptField(ringA, [v, id, nonceText, b.toString('base64url')].join('.')), 'tampered');
    }
  });

  it('refuses a truncated value or one with the tag cut off', () => {
    const stored = encryptField(ringA, 'abc');
    const [v, id, nonceText = '', bodyText = ''] = stored.split('.');
    const body = Buffer.from(bodyText, 'base64url');
    expectCode(() => decryptField(ringA, [v, id, nonceText, body.subarray(0, 15).toString('base64url')].join('.')), 'malformed');
    expectCode(() => decryptField(ringA, [v, id, nonceText].join('.')), 'malformed');
    expectCode(() => decryptField(ringA, ''), 'malformed');
    expectCode(() => decryptField(ringA, 'plain text that was never encrypted'), 'malformed');
    expectCode(() => decryptField(ringA, stored.replace(/^v1/, 'v2')), 'malformed');
  });

  it('names an unknown key id clearly', () => {
    const stored = encryptField(buildKeyRing([keyB]), 'x');
    expect(() => decryptField(ringA, stored)).toThrow(/not in the key ring/);
    expectCode(() => decryptField(ringA, stored), 'unknown_key');
  });

  it('rejects a value relabelled with another key id of the same ring', () => {
    const ring = buildKeyRing([keyA, keyB]);
    const oldRing = buildKeyRing([keyB]);
    const stored = encryptField(oldRing, 'x');
    const relabelled = stored.replace(oldRing.activeKeyId, ring.activeKeyId);
    expectCode(() => decryptField(ring, relabelled), 'tampered');
  });

  it('round-trips any string (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (s) => {
        expect(decryptField(ringA, encryptField(ringA, s))).toBe(s);
      }),
    );
  });
});

describe('key rotation', () => {
  const oldRing = buildKeyRing([keyA]);
  const rotated = buildKeyRing([keyB, keyA]);

  it('still decrypts values sealed with the old key after a new key is put first', () => {
    const old = encryptField(oldRing, '11010519491231002X');
    expect(decryptField(rotated, old)).toBe('11010519491231002X');
  });

  it('encrypts new values under the new key id', () => {
    expect(rotated.activeKeyId).not.toBe(oldRing.activeKeyId);
    expect(keyIdOf(encryptField(rotated, 'x'))).toBe(rotated.activeKeyId);
    expect([...rotated.encKeys.keys()]).toEqual([rotated.activeKeyId, oldRing.activeKeyId]);
  });

  it('keeps blind indexes unchanged', () => {
    expect(blindIndex(rotated, 'idNumber', '11010519491231002X')).toBe(
      blindIndex(oldRing, 'idNumber', '11010519491231002X'),
    );
    expect(rotated.blindKey.equals(oldRing.blindKey)).toBe(true);
  });

  it('reencryptField moves old values to the active key and leaves current ones alone', () => {
    const old = encryptField(oldRing, '王桂英');
    const moved = reencryptField(rotated, old);
    expect(keyIdOf(moved)).toBe(rotated.activeKeyId);
    expect(decryptField(rotated, moved)).toBe('王桂英');
    expect(reencryptField(rotated, moved)).toBe(moved);
    // After the old key is retired, the moved value still decrypts.
    expect(decryptField(buildKeyRing([keyB]), moved)).toBe('王桂英');
  });

  it('reencryptField refuses tampered values instead of laundering them', () => {
    const old = encryptField(oldRing, 'x');
    const tampered = old.slice(0, -2) + (old.endsWith('AA') ? 'BA' : 'AA');
    expect(() => reencryptField(rotated, tampered)).toThrow(FieldCryptoError);
  });

  it('derives key ids from the derived key, not the master key bytes', () => {
    expect(ringA.activeKeyId).toMatch(/^[0-9a-f]{8}$/);
    expect(keyA.toString('hex').startsWith(ringA.activeKeyId)).toBe(false);
    expect(buildKeyRing([keyA]).activeKeyId).toBe(ringA.activeKeyId);
  });
});

describe('parseMasterKeyList / loadKeyRing from XQ_MASTER_KEY', () => {
  it('accepts hex, base64 and base64url, comma separated, first is active', () => {
    const hex = keyA.toString('hex');
    const b64 = keyB.toString('base64');
    expect(parseMasterKeyList(hex)[0]?.equals(keyA)).toBe(true);
    expect(parseMasterKeyList(hex.toUpperCase())[0]?.equals(keyA)).toBe(true);
    expect(parseMasterKeyList(b64)[0]?.equals(keyB)).toBe(true);
    expect(parseMasterKeyList(b64.replace(/=$/, ''))[0]?.equals(keyB)).toBe(true);
    expect(parseMasterKeyList(keyB.toString('base64url'))[0]?.equals(keyB)).toBe(true);

    const ring = loadKeyRing({ masterKey: ` ${b64} , ${hex} `, dataDir: '/nonexistent' });
    expect(ring.activeKeyId).toBe(buildKeyRing([keyB]).activeKeyId);
    expect(ring.encKeys.size).toBe(2);
    expect(ring.blindKey.equals(buildKeyRing([keyA]).blindKey)).toBe(true);
  });

  it.each([
    ['too short hex', 'abcd'],
    ['63 hex characters', keyA.toString('hex').slice(1)],
    ['16-byte base64', randomBytes(16).toString('base64')],
    ['48-byte base64', randomBytes(48).toString('base64')],
    ['junk characters', '!'.repeat(44)],
    ['empty entry after comma', `${keyA.toString('hex')},`],
  ])('rejects %s with a clear error that does not echo the key', (_label, value) => {
    expect(() => parseMasterKeyList(value)).toThrow(/XQ_MASTER_KEY entry \d+ of \d+ is not a 32-byte key/);
    try {
      parseMasterKeyList(value);
    } catch (err) {
      if (value.length > 8) expect((err as Error).message).not.toContain(value);
    }
  });

  it('does not touch the data dir when an env key is given', () => {
    const dir = tempDir();
    loadKeyRing({ masterKey: keyA.toString('hex'), dataDir: dir });
    expect(() => statSync(join(dir, 'master.key'))).toThrow();
  });
});

describe('loadKeyRing from <dataDir>/master.key', () => {
  it('creates the key file (mkdir -p) with mode 0600 and reuses it on the next load', () => {
    const dir = join(tempDir(), 'nested', 'data');
    const first = loadKeyRing({ dataDir: dir });
    const path = join(dir, 'master.key');
    if (posix) expect(statSync(path).mode & 0o777).toBe(0o600);

    const file = JSON.parse(readFileSync(path, 'utf8')) as { version: number; keys: { key: string; createdAt: string }[] };
    expect(file.version).toBe(1);
    expect(file.keys).toHaveLength(1);
    expect(Buffer.from(file.keys[0]?.key ?? '', 'base64')).toHaveLength(32);
    expect(Number.isNaN(Date.parse(file.keys[0]?.createdAt ?? ''))).toBe(false);

    // The temporary file used for the atomic create is gone.
    expect(readdirSync(dir)).toEqual(['master.key']);

    const second = loadKeyRing({ dataDir: dir });
    expect(second.activeKeyId).toBe(first.activeKeyId);
    expect(decryptField(second, encryptField(first, '复用'))).toBe('复用');
    expect(readFileSync(path, 'utf8')).toBe(JSON.stringify(file, null, 2) + '\n');
  });

  it('uses the first key in the file as active and the last for blind indexes', () => {
    const dir = tempDir();
    const path = join(dir, 'master.key');
    const keys = [keyB, keyA].map((k) => ({ key: k.toString('base64'), createdAt: '2026-01-01T00:00:00Z' }));
    writeFileSync(path, JSON.stringify({ version: 1, keys }), { mode: 0o600 });
    const ring = loadKeyRing({ dataDir: dir });
    expect(ring.activeKeyId).toBe(buildKeyRing([keyB]).activeKeyId);
    expect(ring.blindKey.equals(ringA.blindKey)).toBe(true);
  });

  it.runIf(posix)('refuses a key file that group or others can read, and says how to fix it', () => {
    const dir = tempDir();
    loadKeyRing({ dataDir: dir });
    const path = join(dir, 'master.key');
    chmodSync(path, 0o644);
    expect(() => loadKeyRing({ dataDir: dir })).toThrow(/mode 0644.*chmod 600/);
    chmodSync(path, 0o640);
    expect(() => loadKeyRing({ dataDir: dir })).toThrow(/chmod 600/);
    chmodSync(path, 0o600);
    expect(() => loadKeyRing({ dataDir: dir })).not.toThrow();
  });

  it('refuses a damaged key file instead of replacing it', () => {
    const dir = tempDir();
    const path = join(dir, 'master.key');
    writeFileSync(path, '{"version":1,"keys":[]}', { mode: 0o600 });
    expect(() => loadKeyRing({ dataDir: dir })).toThrow(/must look like/);
    writeFileSync(path, 'not json', { mode: 0o600 });
    expect(() => loadKeyRing({ dataDir: dir })).toThrow(/not valid JSON/);
    writeFileSync(path, JSON.stringify({ version: 1, keys: [{ key: 'short', createdAt: '' }] }), { mode: 0o600 });
    expect(() => loadKeyRing({ dataDir: dir })).toThrow(/keys\[0\] is not a 32-byte/);
    expect(readFileSync(path, 'utf8')).toContain('short');
  });
});

describe('blindIndex', () => {
  it('is deterministic 64-char hex and keyed', () => {
    const a = blindIndex(ringA, 'idNumber', '11010519491231002X');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(blindIndex(ringA, 'idNumber', '11010519491231002X')).toBe(a);
    expect(blindIndex(buildKeyRing([keyB]), 'idNumber', '11010519491231002X')).not.toBe(a);
  });

  it('separates purposes', () => {
    expect(blindIndex(ringA, 'idNumber', '13812345581')).not.toBe(blindIndex(ringA, 'phone', '13812345581'));
    // The NUL separator stops "a"+"bc" colliding with "ab"+"c".
    expect(blindIndex(ringA, 'a', 'BC')).not.toBe(blindIndex(ringA, 'ab', 'C'));
  });

  it.each([
    ['lower-case x in an ID number', '11010519491231002x', '11010519491231002X'],
    ['surrounding spaces', '  11010519491231002X\n', '11010519491231002X'],
    ['spaces inside an ID number', '110105 19491231 002X', '11010519491231002X'],
    ['full-width digits', '１３８１２３４５５８１', '13812345581'],
    ['spaced phone', '138 1234 5581', '13812345581'],
    ['hyphenated landline', '0731-84512345', '073184512345'],
  ])('normalises %s', (_label, a, b) => {
    expect(blindIndex(ringA, 'k', a)).toBe(blindIndex(ringA, 'k', b));
  });

  it('keeps spaces and hyphens in values that are not number-like', () => {
    expect(normalizeForIndex(' Li Na ')).toBe('LI NA');
    expect(normalizeForIndex('望城区-乔口镇')).toBe('望城区-乔口镇');
    expect(blindIndex(ringA, 'name', 'Li Na')).not.toBe(blindIndex(ringA, 'name', 'LiNa'));
  });

  it('rejects an empty purpose or one containing NUL', () => {
    expect(() => blindIndex(ringA, '', 'x')).toThrow();
    expect(() => blindIndex(ringA, 'a\0b', 'x')).toThrow();
  });
});

describe('masking', () => {
  it.each([
    ['11010519491231002X', '1101**********002X'],
    ['440524188001010014', '4405**********0014'],
    ['110105491231002', '1101*******1002'],
    ['', ''],
    ['123', '***'],
    ['12345678', '12****78'],
  ])('maskIdNumber(%j) = %j', (input, expected) => {
    expect(maskIdNumber(input)).toBe(expected);
  });

  it.each([
    ['13812345581', '138****5581'],
    ['0731-84512345', '0731-****2345'],
    ['010-6512345', '010-****2345'],
    ['021 58881234', '021 ****1234'],
    ['073184512345', '0731****2345'],
    ['01065123456', '010****3456'],
    ['138 1234 5581', '138****5581'],
    ['+86 138 1234 5581', '+86 138****5581'],
    ['8613812345581', '86 138****5581'],
    ['0731-84512345-801', '073**********-801'],
    ['110', '***'],
    ['', ''],
  ])('maskPhone(%j) = %j', (input, expected) => {
    expect(maskPhone(input)).toBe(expected);
  });

  it.each([
    ['王桂英', '王**'],
    ['李娜', '李*'],
    ['欧阳娜娜', '欧***'],
    ['阿依古丽·买买提', '阿*******'],
    ['王', '*'],
    ['', ''],
    [' 张三 ', '张*'],
  ])('maskName(%j) = %j', (input, expected) => {
    expect(maskName(input)).toBe(expected);
  });

  it.each([
    ['湖南省长沙市望城区乔口镇柳林村3组', '湖南省长沙市****'],
    ['柳林村3组', '柳林****'],
    ['村', '****'],
    ['', ''],
  ])('maskAddress(%j) = %j', (input, expected) => {
    expect(maskAddress(input)).toBe(expected);
  });

  // A sentinel that the generators never produce elsewhere: if it shows up, a middle character leaked.
  const SECRET = '§';
  const plain = fc.string({ unit: 'grapheme-ascii', maxLength: 4 }).filter((s) => !s.includes(SECRET) && s.trim() === s && !s.includes('*'));
  const fill = (n: number) => SECRET.repeat(n);

  it('maskIdNumber never reveals the middle of a 12+ character value (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9X]{4}$/), fc.integer({ min: 4, max: 30 }), fc.stringMatching(/^[0-9X]{4}$/), (a, n, b) => {
        const out = maskIdNumber(a + fill(n) + b);
        expect(out).not.toContain(SECRET);
        expect(out).toBe(a + '*'.repeat(n) + b);
      }),
    );
  });

  it('maskPhone never reveals the middle of an 11-digit mobile number (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^1[3-9]\d{9}$/), (mobile) => {
        const out = maskPhone(mobile);
        expect(out.slice(3, 7)).toBe('****');
        expect(out).not.toContain(mobile.slice(3, 7) + mobile.slice(7));
        expect(out).toHaveLength(11);
      }),
    );
  });

  it('maskName and maskAddress never reveal what follows the kept prefix (property)', () => {
    fc.assert(
      fc.property(plain, fc.integer({ min: 1, max: 40 }), (head, n) => {
        fc.pre(head.length >= 1);
        const first = Array.from(head)[0] ?? '';
        expect(maskName(first + fill(n))).not.toContain(SECRET);
        const six = (head + '湖南省长沙市').slice(0, 6);
        expect(maskAddress(six + fill(n + 6))).toBe(`${six}****`);
      }),
    );
  });

  it('no masking helper throws, and each hides something from any input of 2+ characters (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
        fc.pre(!s.includes('*'));
        for (const mask of [maskIdNumber, maskPhone, maskName, maskAddress]) {
          const out = mask(s);
          if (Array.from(s.trim()).length >= 2) expect(out).toContain('*');
        }
      }),
    );
  });
});
