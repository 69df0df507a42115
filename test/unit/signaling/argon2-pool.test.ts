// The Argon2 pool runs its TypeScript worker under vitest too (as under tsx in
// production), hashes with the parameters it is given, and verifies.
import { afterAll, expect, it } from 'vitest';
import { Argon2Pool } from '../../../signaling/accounts/argon2-pool';
import { PasswordHasher, paramsOf, PRODUCTION_ARGON2 } from '../../../signaling/accounts/passwords';

const pool = new Argon2Pool(1);
afterAll(() => pool.close());

it('hashes Argon2id at production strength (19 MiB, t=2, p=1) off the main thread', async () => {
  const hasher = new PasswordHasher(pool);
  const hash = await hasher.hash('correct horse battery staple');
  expect(paramsOf(hash)).toEqual(PRODUCTION_ARGON2);
  expect(await hasher.verify('correct horse battery staple', hash)).toBe(true);
  expect(await hasher.verify('wrong', hash)).toBe(false);
  expect(hasher.needsUpgrade(hash)).toBe(false);
});

it('flags weaker stored parameters for upgrade and treats a corrupt hash as a mismatch', async () => {
  const hasher = new PasswordHasher(pool);
  const weak = await pool.hash('pw', { memoryKiB: 64, iterations: 1, parallelism: 1 });
  expect(hasher.needsUpgrade(weak)).toBe(true);
  expect(hasher.needsUpgrade('$2b$10$notargon')).toBe(true);
  expect(await hasher.verify('pw', '$argon2id$v=19$m=64,t=1,p=1$garbage')).toBe(false);
  expect(await hasher.verifyDummy('anything')).toBe(false);
  expect(pool.jobsStarted).toBeGreaterThanOrEqual(5);
});
