// Loading the Wycheproof files and counting outcomes. The files are read in place from
// ../shared/testvectors/wycheproof/ (relative to the repository root), never copied.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
export const VECTOR_DIR = path.resolve(repoRoot, '../shared/testvectors/wycheproof');

export interface VectorTest {
  tcId: number;
  comment: string;
  flags: string[];
  result: 'valid' | 'invalid' | 'acceptable';
  [field: string]: unknown;
}

export interface VectorGroup {
  type: string;
  tests: VectorTest[];
  [field: string]: unknown;
}

export interface VectorFile {
  algorithm: string;
  schema: string;
  numberOfTests: number;
  testGroups: VectorGroup[];
}

export function loadVectorFile(name: string): VectorFile {
  return JSON.parse(readFileSync(path.join(VECTOR_DIR, name), 'utf8')) as VectorFile;
}

export function hex(value: unknown): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(String(value), 'hex'));
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a).equals(Buffer.from(b));
}

export interface FileTally {
  file: string;
  passed: number;
  failed: number;
  skipped: number;
  /** How many vectors were skipped for each named reason. */
  skipReasons: Record<string, number>;
  /** tcId and what went wrong, for every failed vector. */
  failures: string[];
}

/** Counts one file's vectors: each vector is exactly one of passed, failed or skipped. */
export class Tally {
  readonly result: FileTally;
  constructor(file: string) {
    this.result = { file, passed: 0, failed: 0, skipped: 0, skipReasons: {}, failures: [] };
  }
  check(test: VectorTest, ok: boolean, what: string): void {
    if (ok) this.result.passed++;
    else {
      this.result.failed++;
      this.result.failures.push(`tcId ${test.tcId} (${test.result}, ${test.comment}): ${what}`);
    }
  }
  skip(reason: string): void {
    this.result.skipped++;
    this.result.skipReasons[reason] = (this.result.skipReasons[reason] ?? 0) + 1;
  }
}

export function allTests(file: VectorFile): Array<{ group: VectorGroup; test: VectorTest }> {
  return file.testGroups.flatMap((group) => group.tests.map((test) => ({ group, test })));
}
