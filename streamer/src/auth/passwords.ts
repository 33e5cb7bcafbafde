import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

// Passwords are stored as scrypt hashes with a per-user salt:
//   scrypt$N$r$p$<salt base64>$<hash base64>
// Parameters travel with the hash, so they can be raised later without breaking old users.

const N = 16_384;
const R = 8;
const P = 1;
const KEYLEN = 32;

function scrypt(password: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEYLEN, { N, r: R, p: P });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, 'base64');
  const key = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 64 * 1024 * 1024,
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** The initial password of every new account (manual ch. 3); it must be changed at first login. */
export const INITIAL_PASSWORD = '123456';

/** Rules for a new password: not the initial one, 8–128 chars, letters and digits. */
export function passwordProblem(pw: string): string | null {
  if (pw === INITIAL_PASSWORD) return 'the new password must not be the initial password';
  if (pw.length < 8 || pw.length > 128) return 'the new password must be 8 to 128 characters long';
  if (!/[A-Za-z]/.test(pw) || !/\d/.test(pw)) return 'the new password must contain letters and digits';
  return null;
}
