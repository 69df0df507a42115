// Reading a stored file back as plaintext (to save or show it): its sealed chunks are
// opened in order, 64 at a time, so memory stays at about 1 MiB whatever the size.
import type { FileOffer } from '../../../signaling/protocol';
import type { ChunkFile } from '../../storage/chunk-store';
import { fromBase64Url } from '../bytes';
import type { CryptoPort } from '../crypto-port';
import { FileActionError } from './file-views';

const READ_BATCH = 64;

export async function* readFileChunks(
  crypto: CryptoPort,
  offer: FileOffer,
  chunks: ChunkFile,
  context: Uint8Array,
): AsyncGenerator<Uint8Array> {
  const key = await crypto.importFileKey(fromBase64Url(offer.key));
  if (!key.ok) throw new FileActionError('read-error', 'The file offer carries a malformed key.');
  let cipher: string | undefined;
  try {
    const created = await crypto.createFileChunkCipher(
      key.value,
      context,
      offer.size,
      fromBase64Url(offer.header),
    );
    if (!created.ok)
      throw new FileActionError('read-error', 'The file offer does not fit its key.');
    cipher = created.value.handle;
    const total = chunks.bitmap.count;
    for (let first = 0; first < total; first += READ_BATCH) {
      const count = Math.min(READ_BATCH, total - first);
      const sealed = await chunks.readChunks(first, count);
      const opened = await crypto.openFileChunks(cipher, first, count, sealed, true);
      if (!opened.plaintext) {
        throw new FileActionError('read-error', 'The stored file is damaged; fetch it again.');
      }
      if (opened.plaintext.length > 0) yield opened.plaintext;
    }
  } finally {
    if (cipher) await crypto.release(cipher);
    await crypto.release(key.value);
  }
}
