// How the terminal client shows files: sizes, the progress line (percent, speed, time
// left), the /files list, and which local name a peer's file is saved under. Pure
// functions (no disk, no session), so every rule here is unit-tested.
import path from 'node:path';
import { terminalSafe } from './sanitize';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 0 B, 999 B, 1.5 KiB, 200.0 MiB: binary units, one decimal from KiB on. */
export function formatBytes(bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

/** 45 s, 3 min 05 s, 2 h 10 min: what people read at a glance. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** Whole percent, never 100 before the last byte (a stuck "100%" would be a lie). */
export function percentOf(done: number, total: number): number {
  if (total <= 0 || done >= total) return 100;
  return Math.min(99, Math.floor((done / total) * 100));
}

export interface ProgressInfo {
  name: string;
  state: string;
  received: number;
  size: number;
  bytesPerSecond: number;
  secondsLeft: number | null;
}

const STATE_WORDS: Record<string, string> = {
  preparing: 'preparing',
  fetching: 'receiving',
  waiting: 'waiting for a peer that has the file',
  paused: 'paused',
  verifying: 'verifying',
  complete: 'complete',
};

/** `big.bin: receiving 45% (90.0 of 200.0 MiB), 12.3 MiB/s, 8 s left` */
export function progressLine(p: ProgressInfo): string {
  const name = terminalSafe(p.name);
  const words = STATE_WORDS[p.state] ?? p.state;
  const amount = `${percentOf(p.received, p.size)}% (${formatBytes(p.received)} of ${formatBytes(p.size)})`;
  if (p.state === 'waiting' || p.state === 'paused') return `${name}: ${words}, ${amount}`;
  const moving = p.bytesPerSecond > 0;
  const speed = moving ? `, ${formatBytes(p.bytesPerSecond)}/s` : '';
  const left = moving && p.secondsLeft !== null ? `, ${formatDuration(p.secondsLeft)} left` : '';
  return `${name}: ${words} ${amount}${speed}${left}`;
}

export interface ListedFile {
  id: string;
  name: string;
  size: number;
  from: string;
  own: boolean;
  state: string;
  received: number;
}

/** The /files answer: one line per file, newest last, with what can be done next. */
export function fileListLines(files: ListedFile[]): string[] {
  if (files.length === 0) return ['* no files in this room yet (send one with /send PATH)'];
  return [
    '* files in this room:',
    ...files.map((f) => {
      const who = f.own ? 'you' : terminalSafe(f.from);
      const state =
        f.state === 'fetching' || f.state === 'waiting' || f.state === 'paused'
          ? `${f.state} ${percentOf(f.received, f.size)}%`
          : f.state;
      return `  ${f.id}  ${terminalSafe(f.name)}  ${formatBytes(f.size)}  from ${who}  ${state}`;
    }),
  ];
}

export class FileIdError extends Error {
  override name = 'FileIdError';
}

/**
 * The file a typed id means: the full id, or a prefix of at least 4 characters that
 * matches exactly one file (ids are 22 characters; nobody wants to type them all).
 */
export function resolveFileId(typed: string, ids: string[]): string {
  if (ids.includes(typed)) return typed;
  if (typed.length < 4) throw new FileIdError(`No file with id "${typed}" (see /files).`);
  const matches = ids.filter((id) => id.startsWith(typed));
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) throw new FileIdError(`No file with id "${typed}" (see /files).`);
  throw new FileIdError(`"${typed}" matches ${matches.length} files: type more of the id.`);
}

/**
 * A peer's file name as a safe local name: no directories (so "../../.bashrc" cannot
 * escape), no control or reordering characters, not hidden, not empty, at most 200
 * characters (keeping the extension).
 */
export function safeFileName(name: string): string {
  let base = name.split(/[\\/]/).pop() ?? '';
  base = base.replace(
    // eslint-disable-next-line no-control-regex -- stripping control characters is the point
    /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069:*?"<>|]/gu,
    '_',
  );
  base = base.replace(/^[.\s]+/, '').trim();
  if (base === '') base = 'file';
  if (base.length > 200) {
    const ext = path.extname(base).slice(0, 20);
    base = base.slice(0, 200 - ext.length) + ext;
  }
  return base;
}

/** `name (1).ext`, `name (2).ext`...: the n-th alternative when `name.ext` is taken. */
export function numberedName(name: string, n: number): string {
  if (n === 0) return name;
  const ext = path.extname(name);
  return `${name.slice(0, name.length - ext.length)} (${n})${ext}`;
}
