// Node only (the terminal client): where the CLI keeps its device data key. The key itself
// never leaves the crypto api; on disk it is only ever wrapped with Argon2id (at-rest.ts):
//
// - `data-key.json`: { version, lock, wrapped } with the wrapped data key.
// - lock 'passphrase': wrapped under a passphrase the person types or gives in a file;
//   without it the history can't be read, even by someone holding the whole data dir.
// - lock 'key-file' (the default, so the CLI can start unattended): wrapped under 32
//   random bytes kept in `data-key.secret` (mode 0600) next to it. This protects history
//   that leaves the data dir without the key file (a copied or backed-up history.log),
//   not against someone who can read the whole dir as this user: use a passphrase then.
import { open, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { WrappedDataKey } from '../crypto/at-rest';
import { toBase64Url } from '../crypto/primitives/bytes';
import type { Result } from '../crypto/result';

const KEY_RECORD = 'data-key.json';
const KEY_FILE = 'data-key.secret';

const KeyRecord = z.object({
  version: z.literal(1),
  lock: z.enum(['key-file', 'passphrase']),
  wrapped: z.unknown(),
});

export type DataKeyErrorCode = 'passphrase-required' | 'wrong-passphrase' | 'damaged';

export class DataKeyError extends Error {
  override readonly name = 'DataKeyError';
  constructor(
    readonly code: DataKeyErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The crypto api calls this needs: the api object and `Remote<CryptoApi>` both fit. */
export interface DataKeyCrypto {
  createDataKey(): string | Promise<string>;
  wrapDataKey(dataKey: string, passphrase: string): Promise<WrappedDataKey>;
  unwrapDataKey(stored: unknown, passphrase: string): Promise<Result<string>>;
}

export interface CliDataKeyOptions {
  /** The CLI's data dir. */
  readonly dir: string;
  readonly crypto: DataKeyCrypto;
  /**
   * Locks a new data dir with this passphrase, or unlocks one that was locked with it.
   * Ignored for a data dir that uses a key file.
   */
  readonly passphrase?: string;
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const temporary = `${path}.tmp`;
  await writeFile(temporary, text, { mode: 0o600, flush: true });
  await rename(temporary, path);
  const dir = await open(join(path, '..'), 'r');
  await dir.sync().finally(() => dir.close());
}

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Returns a data-key handle, creating and storing a new wrapped key on first use. */
export async function openCliDataKey(options: CliDataKeyOptions): Promise<string> {
  const { dir, crypto, passphrase } = options;
  const recordPath = join(dir, KEY_RECORD);
  const keyFilePath = join(dir, KEY_FILE);
  const stored = await readIfPresent(recordPath);

  if (stored === undefined) {
    const dataKey = await crypto.createDataKey();
    let secret = passphrase;
    if (secret === undefined) {
      secret = toBase64Url(globalThis.crypto.getRandomValues(new Uint8Array(32)));
      await writeAtomically(keyFilePath, `${secret}\n`);
    }
    const wrapped = await crypto.wrapDataKey(dataKey, secret);
    const lock = passphrase === undefined ? 'key-file' : 'passphrase';
    await writeAtomically(recordPath, `${JSON.stringify({ version: 1, lock, wrapped })}\n`);
    return dataKey;
  }

  let record: z.infer<typeof KeyRecord>;
  try {
    record = KeyRecord.parse(JSON.parse(stored));
  } catch {
    throw new DataKeyError('damaged', `${recordPath} is damaged; the history can't be unlocked.`);
  }
  let secret: string | undefined;
  if (record.lock === 'passphrase') {
    secret = passphrase;
    if (secret === undefined) {
      throw new DataKeyError(
        'passphrase-required',
        'This data dir is locked with a passphrase: give it to unlock the history.',
      );
    }
  } else {
    secret = (await readIfPresent(keyFilePath))?.trim();
    if (!secret) {
      throw new DataKeyError('damaged', `The key file ${keyFilePath} is missing or empty.`);
    }
  }
  const unwrapped = await crypto.unwrapDataKey(record.wrapped, secret);
  if (unwrapped.ok) return unwrapped.value;
  if (record.lock === 'passphrase' && unwrapped.reason === 'bad-tag') {
    throw new DataKeyError('wrong-passphrase', unwrapped.message);
  }
  throw new DataKeyError('damaged', `${recordPath} can't be unlocked: ${unwrapped.message}`);
}
