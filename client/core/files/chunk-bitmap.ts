// Which chunks of a file this device holds (DESIGN.md section 8): one bit per chunk, kept
// with the chunk store so an interrupted transfer resumes from where it stopped.
import type { ChunkRange } from '../../../signaling/protocol';

export class ChunkBitmap {
  private readonly bits: Uint8Array;
  private held = 0;

  constructor(
    readonly count: number,
    from?: Uint8Array,
  ) {
    this.bits = new Uint8Array(Math.ceil(count / 8));
    if (from && from.length === this.bits.length) {
      this.bits.set(from);
      // Bits past `count` in the last byte are never set: clear them if a file had any.
      if (count % 8 !== 0) this.bits[this.bits.length - 1]! &= (1 << (count % 8)) - 1;
      for (const byte of this.bits) this.held += popcount(byte);
    }
  }

  has(index: number): boolean {
    return index >= 0 && index < this.count && (this.bits[index >> 3]! & (1 << (index & 7))) !== 0;
  }

  set(index: number): void {
    if (index < 0 || index >= this.count || this.has(index)) return;
    this.bits[index >> 3]! |= 1 << (index & 7);
    this.held++;
  }

  clear(index: number): void {
    if (!this.has(index)) return;
    this.bits[index >> 3]! &= ~(1 << (index & 7));
    this.held--;
  }

  setRun(first: number, count: number): void {
    for (let i = first; i < first + count; i++) this.set(i);
  }

  /** How many chunks are held. */
  get size(): number {
    return this.held;
  }

  get complete(): boolean {
    return this.held === this.count;
  }

  /** Runs of held (`want` true) or missing (false) chunks inside [from, to), in order. */
  *runs(want: boolean, from = 0, to = this.count): Generator<ChunkRange> {
    let start = -1;
    for (let i = Math.max(0, from); i < Math.min(to, this.count); i++) {
      // Skip whole bytes that cannot change the answer.
      if ((i & 7) === 0 && start === -1 && i + 8 <= to) {
        const byte = this.bits[i >> 3]!;
        if ((want && byte === 0) || (!want && byte === 0xff)) {
          i += 7;
          continue;
        }
      }
      if (this.has(i) === want) {
        if (start === -1) start = i;
      } else if (start !== -1) {
        yield { from: start, to: i };
        start = -1;
      }
    }
    if (start !== -1) yield { from: start, to: Math.min(to, this.count) };
  }

  toBytes(): Uint8Array {
    return this.bits.slice();
  }
}

function popcount(byte: number): number {
  let n = 0;
  for (let b = byte; b !== 0; b &= b - 1) n++;
  return n;
}
