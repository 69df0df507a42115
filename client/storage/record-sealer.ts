// Encrypts whole records with the device data key through the crypto api. The location
// (store name and record id) is bound into the AAD by encryptRecord, so a record copied
// to another key, store or index position fails to decrypt instead of being misread.
import type { z } from 'zod';
import type { RecordLocation } from '../crypto/at-rest';
import { HistoryStoreError, type RecordCrypto } from '../core/history-store';
import { encodeStorable, fromStorableJson, parseStorable } from './storable-codec';
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
    const parsed = await this.openJson(location, sealed, what);
    let decoded: unknown;
    try {
      decoded = fromStorableJson(parsed);
    } catch (cause) {
      throw damaged(what, cause);
    }
    return checkStored(schema, decoded, what);
  }

  /**
   * Decrypts and parses the JSON, nothing more: the caller decodes (fromStorableJson) and
   * checks only the parts it needs (a bucket of 64 messages read for one of them).
   */
  async openJson(location: RecordLocation, sealed: Uint8Array, what: string): Promise<unknown> {
    const opened = await this.crypto.decryptRecord(this.dataKey, location, sealed);
    if (!opened.ok) {
      // NOTE: a wrong data key and a tampered record look the same here, by design.
      throw new HistoryStoreError(
        'corrupt',
        `A stored ${what} could not be decrypted: the data was altered or belongs to another device key.`,
      );
    }
    try {
      return parseStorable(opened.value);
    } catch (cause) {
      throw damaged(what, cause);
    }
  }
}

function damaged(what: string, cause: unknown): HistoryStoreError {
  return new HistoryStoreError('corrupt', `A stored ${what} is damaged and can't be read.`, {
    cause,
  });
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
