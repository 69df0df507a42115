// Node only (the terminal client): a durable append-only log of sealed records, one line
// each: "<sequence> <base64url record>\n" after a header line. Appends are fsynced before
// they count; a line torn by a crash mid-append (no final newline) is dropped on open,
// since the write it belonged to never returned. Compaction rewrites the live records to
// a temporary file and renames it over the log, so a crash leaves either log whole.
import { mkdir, open, readFile, rename, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { HistoryStoreError } from '../core/history-store';

const HEADER = 'p2p-secure-chat history log v1\n';
const LINE = /^(\d{1,15}) ([A-Za-z0-9_-]+)$/;

export interface LogLine {
  readonly sequence: number;
  readonly record: Uint8Array;
}

function corrupt(path: string, why: string): HistoryStoreError {
  return new HistoryStoreError('corrupt', `The history file ${path} is damaged (${why}).`);
}

function io(message: string, cause: unknown): HistoryStoreError {
  return new HistoryStoreError('io', message, { cause });
}

// The rename itself is only durable once the directory entry is flushed.
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function base64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

function formatLines(lines: readonly LogLine[]): string {
  return lines.map((line) => `${line.sequence} ${base64Url(line.record)}\n`).join('');
}

export class AppendLog {
  #handle: FileHandle | undefined;
  #size: number;
  #nextSequence: number;

  private constructor(
    readonly path: string,
    handle: FileHandle,
    size: number,
    nextSequence: number,
  ) {
    this.#handle = handle;
    this.#size = size;
    this.#nextSequence = nextSequence;
  }

  /** Opens (creating if needed) and returns the log with every record in it, in order. */
  static async open(dir: string, name: string): Promise<{ log: AppendLog; lines: LogLine[] }> {
    const path = join(dir, name);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw io(`Can't read the history file ${path}.`, error);
      }
      text = '';
    }
    if (text === '') {
      await writeFile(path, HEADER, { mode: 0o600, flush: true });
      text = HEADER;
    }
    if (!text.startsWith(HEADER)) throw corrupt(path, 'unknown format');
    const raws = text.slice(HEADER.length).split('\n');
    const lines: LogLine[] = [];
    let size = Buffer.byteLength(HEADER);
    for (let i = 0; i < raws.length; i++) {
      const raw = raws[i]!;
      // The last piece has no newline after it: an append that never finished.
      const match = i < raws.length - 1 ? LINE.exec(raw) : null;
      if (!match) {
        // A crash can leave a torn line or unflushed zeros at the end, never a readable
        // line after them: bad bytes followed by a good line mean tampering or damage.
        if (raws.slice(i + 1).some((later) => LINE.test(later))) {
          throw corrupt(path, `line ${lines.length + 2} is malformed`);
        }
        break;
      }
      const sequence = Number(match[1]);
      // Sequence numbers are bound into each record's AAD by the caller, so a line that was
      // moved, dropped in the middle or replayed from an older log shows up here or there.
      if (sequence !== lines.length + 1) throw corrupt(path, 'records are missing or reordered');
      lines.push({ sequence, record: new Uint8Array(Buffer.from(match[2]!, 'base64url')) });
      size += Buffer.byteLength(raw) + 1;
    }
    const handle = await open(path, 'r+');
    if (size !== Buffer.byteLength(text)) await handle.truncate(size);
    return { log: new AppendLog(path, handle, size, lines.length + 1), lines };
  }

  get nextSequence(): number {
    return this.#nextSequence;
  }

  /**
   * Appends records sealed for the sequence numbers from nextSequence on (the caller seals
   * with `seal(sequence)`). With `sync` it is on disk when this returns; without, the OS
   * writes it soon after, and a power cut may lose it (a plain crash of this process
   * can't). On failure the file is cut back to where it was.
   */
  async append(records: readonly Uint8Array[], options: { sync: boolean }): Promise<void> {
    const handle = this.#open();
    const lines = records.map((record, i) => ({ sequence: this.#nextSequence + i, record }));
    const bytes = Buffer.from(formatLines(lines));
    try {
      await handle.write(bytes, 0, bytes.length, this.#size);
      if (options.sync) await handle.datasync();
    } catch (error) {
      await handle.truncate(this.#size).catch(() => undefined);
      throw io(`Can't write to the history file ${this.path}: is the disk full?`, error);
    }
    this.#size += bytes.length;
    this.#nextSequence += records.length;
  }

  /** Replaces the whole log with these records (numbered from 1), atomically. */
  async rewrite(records: readonly Uint8Array[]): Promise<void> {
    const temporary = `${this.path}.tmp`;
    const text = HEADER + formatLines(records.map((record, i) => ({ sequence: i + 1, record })));
    try {
      await writeFile(temporary, text, { mode: 0o600, flush: true });
      await this.#open().close();
      this.#handle = undefined;
      await rename(temporary, this.path);
      await syncDirectory(dirname(this.path));
      this.#handle = await open(this.path, 'r+');
    } catch (error) {
      await rm(temporary, { force: true });
      throw io(`Can't rewrite the history file ${this.path}.`, error);
    }
    this.#size = Buffer.byteLength(text);
    this.#nextSequence = records.length + 1;
  }

  async close(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    if (!handle) return;
    try {
      await handle.datasync();
    } finally {
      await handle.close();
    }
  }

  #open(): FileHandle {
    if (!this.#handle) throw new HistoryStoreError('closed', 'The history store is closed.');
    return this.#handle;
  }
}
