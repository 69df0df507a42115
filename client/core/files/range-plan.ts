// What to ask for and what to answer (DESIGN.md section 8). A receiver asks for missing
// chunks in bounded windows (so at most a few MiB are ever in flight toward it: a data
// channel has no receive-side back pressure); a server answers with the part it holds.
import { FILE_REQUEST_MAX_RANGES, type ChunkRange } from '../../../signaling/protocol';
import type { ChunkBitmap } from './chunk-bitmap';

export function rangeLength(ranges: readonly ChunkRange[]): number {
  return ranges.reduce((sum, r) => sum + (r.to - r.from), 0);
}

function overlapsAny(index: number, busy: readonly ChunkRange[]): ChunkRange | undefined {
  return busy.find((r) => index >= r.from && index < r.to);
}

/**
 * The next missing chunks not already requested (`busy`), in file order, at most
 * `maxChunks` of them in at most FILE_REQUEST_MAX_RANGES ranges. Empty: nothing to ask.
 */
export function planRequest(
  have: ChunkBitmap,
  busy: readonly ChunkRange[],
  maxChunks: number,
): ChunkRange[] {
  const plan: ChunkRange[] = [];
  let budget = maxChunks;
  for (const gap of have.runs(false)) {
    let i = gap.from;
    while (i < gap.to && budget > 0 && plan.length < FILE_REQUEST_MAX_RANGES) {
      const taken = overlapsAny(i, busy);
      if (taken) {
        i = taken.to;
        continue;
      }
      let end = i;
      while (end < gap.to && end - i < budget && !overlapsAny(end, busy)) end++;
      plan.push({ from: i, to: end });
      budget -= end - i;
      i = end;
    }
    if (budget === 0 || plan.length === FILE_REQUEST_MAX_RANGES) break;
  }
  return plan;
}

/** The parts of `wanted` that `have` holds (what a server can send). */
export function heldParts(have: ChunkBitmap, wanted: readonly ChunkRange[]): ChunkRange[] {
  const parts: ChunkRange[] = [];
  for (const range of wanted) {
    for (const run of have.runs(true, range.from, Math.min(range.to, have.count))) {
      if (parts.length === FILE_REQUEST_MAX_RANGES) return parts;
      parts.push(run);
    }
  }
  return parts;
}

/** Splits ranges into runs of at most `perFrame` chunks: one data-channel frame each. */
export function* frameRuns(
  ranges: readonly ChunkRange[],
  perFrame: number,
): Generator<{ first: number; count: number }> {
  for (const range of ranges) {
    for (let first = range.from; first < range.to; first += perFrame) {
      yield { first, count: Math.min(perFrame, range.to - first) };
    }
  }
}
