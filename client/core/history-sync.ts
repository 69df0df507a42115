// Gossip history sync (DESIGN.md section 7): peers exchange per-author high-water marks
// and answer with what the other lacks, from any author, in pages of at most 64 KiB, so
// a peer who relays keeps every author's original signature.
import { P2P_MAX_PAGE_BYTES, type PeerMessage, type SignedChat } from '../../signaling/protocol';
import { fromStored } from './envelope';
import type { HighWaterMark, HistoryStore } from './history-store';

type WireMark = Extract<PeerMessage, { type: 'marks' }>['marks'][number];

export function marksToWire(marks: readonly HighWaterMark[]): WireMark[] {
  return marks.map((m) => ({
    device: m.authorDevice,
    contiguous: m.contiguous,
    highest: m.highest,
  }));
}

/** Room for the page's own JSON (`{"type":"page","messages":[],"done":false}`) and commas. */
const PAGE_OVERHEAD = 64;
const READ_BATCH = 256;

/**
 * Every stored message the other side lacks according to its marks, grouped into pages
 * whose JSON stays under `maxBytes`. Messages between the other's `contiguous` and
 * `highest` are sent again (it may lack some of them); duplicates are no-ops there.
 */
export async function* pagesFor(
  store: HistoryStore,
  roomId: string,
  theirs: readonly WireMark[],
  maxBytes = P2P_MAX_PAGE_BYTES,
): AsyncGenerator<SignedChat[]> {
  const known = new Map(theirs.map((m) => [m.device, m]));
  const encoder = new TextEncoder();
  let page: SignedChat[] = [];
  let size = PAGE_OVERHEAD;
  for (const mine of await store.highWaterMarks(roomId)) {
    const theirMark = known.get(mine.authorDevice);
    let after = theirMark?.contiguous ?? 0;
    if (theirMark && theirMark.contiguous >= mine.highest) continue;
    for (;;) {
      const batch = await store.messagesAfter(roomId, mine.authorDevice, after, READ_BATCH);
      if (batch.length === 0) break;
      for (const message of batch) {
        after = message.counter;
        const signed = fromStored(message);
        const bytes = encoder.encode(JSON.stringify(signed)).length + 1;
        if (page.length > 0 && size + bytes > maxBytes) {
          yield page;
          page = [];
          size = PAGE_OVERHEAD;
        }
        page.push(signed);
        size += bytes;
      }
    }
  }
  if (page.length > 0) yield page;
}

/** What to ask for and whether we are behind: the union of both sides' marks. */
export function lacksFrom(ours: readonly HighWaterMark[], theirs: readonly WireMark[]): boolean {
  const mine = new Map(ours.map((m) => [m.authorDevice, m]));
  return theirs.some((m) => (mine.get(m.device)?.contiguous ?? 0) < m.highest);
}
