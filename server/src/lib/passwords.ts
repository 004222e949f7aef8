import { hash, verify } from '@node-rs/argon2';

// OWASP's argon2id minimum (19 MiB, 2 passes): ~20 ms here, which keeps login snappy on a
// 2-core station laptop while making offline guessing expensive.
const OPTIONS = { algorithm: 2 /* Argon2id; a const enum, so spelled out */, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | null = null;

/** Spend the same time on an unknown username as on a known one, so timing does not reveal which exist. */
export async function burnVerifyTime(password: string): Promise<void> {
  dummy ??= hashPassword('xq-dummy-password-for-timing');
  await verifyPassword(await dummy, password);
}
