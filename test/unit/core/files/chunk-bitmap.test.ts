import { describe, expect, it } from 'vitest';
import { ChunkBitmap } from '../../../../client/core/files/chunk-bitmap';

describe('ChunkBitmap', () => {
  it('tracks held chunks and lists held and missing runs in order', () => {
    const bitmap = new ChunkBitmap(20);
    bitmap.setRun(2, 3);
    bitmap.set(10);
    bitmap.set(19);
    bitmap.set(10); // again: no double count
    expect(bitmap.size).toBe(5);
    expect(bitmap.has(4)).toBe(true);
    expect(bitmap.has(5)).toBe(false);
    expect([...bitmap.runs(true)]).toEqual([
      { from: 2, to: 5 },
      { from: 10, to: 11 },
      { from: 19, to: 20 },
    ]);
    expect([...bitmap.runs(false)]).toEqual([
      { from: 0, to: 2 },
      { from: 5, to: 10 },
      { from: 11, to: 19 },
    ]);
    expect([...bitmap.runs(false, 6, 12)]).toEqual([
      { from: 6, to: 10 },
      { from: 11, to: 12 },
    ]);
    bitmap.clear(3);
    expect(bitmap.size).toBe(4);
    expect(bitmap.complete).toBe(false);
  });

  it('is complete when every chunk is held, and ignores indexes out of range', () => {
    const bitmap = new ChunkBitmap(9);
    bitmap.set(-1);
    bitmap.set(9);
    expect(bitmap.size).toBe(0);
    bitmap.setRun(0, 9);
    expect(bitmap.complete).toBe(true);
    expect([...bitmap.runs(false)]).toEqual([]);
  });

  it('survives a round trip through bytes; stray bits past the end are dropped', () => {
    const bitmap = new ChunkBitmap(1000);
    for (let i = 0; i < 1000; i += 7) bitmap.set(i);
    const again = new ChunkBitmap(1000, bitmap.toBytes());
    expect(again.size).toBe(bitmap.size);
    expect([...again.runs(true)]).toEqual([...bitmap.runs(true)]);
    const bytes = new Uint8Array([0xff, 0xff]);
    const short = new ChunkBitmap(10, bytes);
    expect(short.size).toBe(10);
    expect(short.complete).toBe(true);
    // A bitmap of the wrong length (another file) is not trusted at all.
    expect(new ChunkBitmap(100, new Uint8Array(3).fill(0xff)).size).toBe(0);
  });

  it('lists the runs of a 2 GiB file quickly', () => {
    const count = 131073;
    const bitmap = new ChunkBitmap(count);
    bitmap.setRun(0, count);
    bitmap.clear(70000);
    const started = performance.now();
    expect([...bitmap.runs(false)]).toEqual([{ from: 70000, to: 70001 }]);
    expect(performance.now() - started).toBeLessThan(200);
  });
});
