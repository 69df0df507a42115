// Encrypts whole records with the device data key through the crypto api. The location
// (store name and record id) is bound into the AAD by encryptRecord, so a record copied
// to another key, store or index position fails to decrypt instead of being misread.
import type { z } from 'zod';
import type { RecordLocation } from '../crypto/at-rest';
import { HistoryStoreError, type RecordCrypto } from '../core/history-store';
import { decodeStorable, encodeStorable } from './storable-codec';
import { checkStored } from './records';

export class RecordSealer {
  constructor(
    private readonly crypto: RecordCrypto,
    private readonly dataKey: string,
  ) {}

  seal(location: RecordLocation, value: unknown): Promise<Uint8Array> {
    return this.crypto.encryptRecord(this.dataKey, location, encodeStorable(value));
  }

  async open<T>(
    location: RecordLocation,
    sealed: Uint8Array,
    schema: z.ZodType<T>,
    what: string,
  ): Promise<T> {
    const opened = await this.crypto.decryptRecord(this.dataKey, location, sealed);
    if (!opened.ok) {
      // NOTE: a wrong data key and a tampered record look the same here, by design.
      throw new HistoryStoreError(
        'corrupt',
        `A stored ${what} could not be decrypted: the data was altered or belongs to another device key.`,
      );
    }
    let decoded: unknown;
    try {
      decoded = decodeStorable(opened.value);
    } catch (cause) {
      throw new HistoryStoreError('corrupt', `A stored ${what} is damaged and can't be read.`, {
        cause,
      });
    }
    return checkStored(schema, decoded, what);
  }
}

/** Runs async jobs one at a time: read-modify-write sequences must not interleave. */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(job: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(job, job);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
