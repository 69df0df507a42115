// The byte encoding of stored records: whatever a peer's envelope holds (keys that look
// like the encoding's own tags, bytes, "__proto__") comes back exactly as it went in.
import { describe, expect, it } from 'vitest';
import {
  StorableCodecError,
  decodeStorable,
  encodeStorable,
} from '../../../client/storage/storable-codec';

describe('storable codec', () => {
  it('round-trips bytes, nested values and keys that look like tags', () => {
    const value = {
      text: 'hi',
      $b: 'not bytes',
      $$x: [1, null, true, { key: new Uint8Array([0, 255, 7]) }],
      nested: { signature: new Uint8Array(64).fill(9), list: ['a', 2.5] },
    };
    expect(decodeStorable(encodeStorable(value))).toEqual(value);
  });

  it('keeps a "__proto__" key from a peer as data, not as the object’s prototype', () => {
    const hostile = JSON.parse('{"__proto__": {"polluted": true}, "text": "x"}') as object;
    const back = decodeStorable(encodeStorable(hostile)) as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.keys(back)).toEqual(['__proto__', 'text']);
    expect(back.polluted).toBeUndefined();
  });

  it('refuses damaged bytes and unknown tags', () => {
    const bytes = (text: string) => new TextEncoder().encode(text);
    expect(() => decodeStorable(bytes('{"$b": "@@"}'))).toThrow(StorableCodecError);
    expect(() => decodeStorable(bytes('{"$z": 1}'))).toThrow(StorableCodecError);
    expect(() => decodeStorable(bytes('{not json'))).toThrow(StorableCodecError);
  });
});
