import fc from 'fast-check';

/** One hostile frame and what the relay should do with it. */
export interface HostileFrame {
  data: string | Uint8Array;
  binary: boolean;
}

const types = fc.constantFrom(
  'subscribe',
  'unsubscribe',
  'publish',
  'ping',
  'pong',
  'announce',
  '',
  '__proto__',
);

/** Frames that are almost right: the right keys with the wrong kinds of values. */
const nearMisses = fc
  .record(
    {
      type: fc.oneof(types, fc.anything()),
      topics: fc.oneof(
        fc.array(fc.string()),
        fc.anything(),
        fc.array(fc.string({ minLength: 129, maxLength: 200 })),
      ),
      topic: fc.oneof(fc.string(), fc.anything()),
      data: fc.anything(),
      clients: fc.anything(),
    },
    { requiredKeys: [] },
  )
  .map((frame) => JSON.stringify(frame) ?? 'undefined');

/** Valid JSON that is rarely a valid frame. */
const randomJson = fc.json({ maxDepth: 4 });

/** Text that is usually not JSON at all: random strings, truncated frames, deep nesting. */
const brokenText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ maxLength: 300 }).map((s) => `{"type":"publish","topic":${s}`),
  fc.integer({ min: 1, max: 20_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
  fc.constantFrom('', ' ', 'null', 'true', '0', '"publish"', '{}', '[]', '{"type":null}', '\u0000'),
);

/** Well-formed frames aimed at a room the ticket does not admit: dropped, not fatal. */
const foreignTopic = (otherRoom: string) =>
  fc.oneof(
    fc.constant(JSON.stringify({ type: 'subscribe', topics: [otherRoom] })),
    fc
      .string({ maxLength: 100 })
      .map((data) => JSON.stringify({ type: 'publish', topic: otherRoom, data })),
  );

export function hostileFrames(count: number, otherRoom: string, seed: number): HostileFrame[] {
  const text = fc.oneof(
    { weight: 3, arbitrary: nearMisses },
    { weight: 2, arbitrary: randomJson },
    { weight: 3, arbitrary: brokenText },
    { weight: 1, arbitrary: foreignTopic(otherRoom) },
  );
  const frame = fc.oneof(
    { weight: 12, arbitrary: text.map((data): HostileFrame => ({ data, binary: false })) },
    {
      weight: 1,
      arbitrary: fc
        .uint8Array({ maxLength: 200 })
        .map((data): HostileFrame => ({ data, binary: true })),
    },
  );
  return fc.sample(frame, { numRuns: count, seed });
}
