import { describe, expect, it } from 'vitest';
import { ChunkBitmap } from '../../../../client/core/files/chunk-bitmap';
import {
  frameRuns,
  heldParts,
  planRequest,
  rangeLength,
} from '../../../../client/core/files/range-plan';
import { FILE_REQUEST_MAX_RANGES } from '../../../../signaling/protocol';

describe('request planning', () => {
  it('asks for the first missing chunks, at most a window of them', () => {
    const have = new ChunkBitmap(2000);
    have.setRun(0, 100);
    expect(planRequest(have, [], 512)).toEqual([{ from: 100, to: 612 }]);
  });

  it('skips chunks already requested and gaps already held', () => {
    const have = new ChunkBitmap(100);
    have.setRun(10, 10);
    const busy = [{ from: 0, to: 5 }];
    expect(planRequest(have, busy, 30)).toEqual([
      { from: 5, to: 10 },
      { from: 20, to: 45 },
    ]);
    expect(planRequest(have, [...busy, { from: 5, to: 100 }], 30)).toEqual([]);
  });

  it('stays within the wire limit on ranges when the gaps are scattered', () => {
    const have = new ChunkBitmap(1000);
    for (let i = 0; i < 1000; i += 2) have.set(i);
    const plan = planRequest(have, [], 1000);
    expect(plan).toHaveLength(FILE_REQUEST_MAX_RANGES);
    expect(rangeLength(plan)).toBe(FILE_REQUEST_MAX_RANGES);
  });

  it('asks for nothing once every chunk is here', () => {
    const have = new ChunkBitmap(3);
    have.setRun(0, 3);
    expect(planRequest(have, [], 10)).toEqual([]);
  });
});

describe('answering a request', () => {
  it('sends only the parts it holds', () => {
    const have = new ChunkBitmap(100);
    have.setRun(0, 30);
    have.setRun(50, 10);
    expect(
      heldParts(have, [
        { from: 20, to: 55 },
        { from: 90, to: 100 },
      ]),
    ).toEqual([
      { from: 20, to: 30 },
      { from: 50, to: 55 },
    ]);
    // Beyond the end of the file: nothing.
    expect(heldParts(have, [{ from: 100, to: 200 }])).toEqual([]);
  });

  it('cuts ranges into frames of at most 15 chunks', () => {
    const runs = [
      ...frameRuns(
        [
          { from: 0, to: 31 },
          { from: 40, to: 41 },
        ],
        15,
      ),
    ];
    expect(runs).toEqual([
      { first: 0, count: 15 },
      { first: 15, count: 15 },
      { first: 30, count: 1 },
      { first: 40, count: 1 },
    ]);
  });
});
