// The terminal client's files: /send PATH offers a file to the room, /get ID [PATH]
// fetches one and saves it once its whole-file SHA-256 matched the signed offer, /files
// lists them, /cancel ID stops a fetch. The room's file events become CliEvents (the
// progress line among them). Transfers run in the background: chat goes on meanwhile.
import { createHash } from 'node:crypto';
import { open, stat, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import type { FileView } from '../core/files/file-views';
import { nodeFileSource } from '../core/files/node-file-source';
import type { RoomSession } from '../core/room-session';
import type { CliEvent } from './events';
import { formatBytes, numberedName, percentOf, resolveFileId, safeFileName } from './file-format';
import { fileInfo } from './views';

export interface CliFilesOptions {
  session: RoomSession;
  emit: (event: CliEvent) => void;
  /** Relative paths in /send and /get start here. */
  cwd: string;
}

/** A refused /send or /get: said on stderr, the chat goes on. */
export class FileCommandError extends Error {
  override name = 'FileCommandError';
}

/** Enough for the browser to preview images and open documents; '' lets it guess. */
const TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.pdf': 'application/pdf',
  '.txt': 'text/plain',
  '.zip': 'application/zip',
  '.mp4': 'video/mp4',
};

export class CliFiles {
  /** Files a /get asked for, saved to these paths once verified. */
  private readonly saveTo = new Map<string, string>();
  readonly unsubscribe: (() => void)[] = [];

  constructor(private readonly o: CliFilesOptions) {
    const { session, emit } = o;
    const on = session.on.bind(session);
    this.unsubscribe.push(
      on('file-offered', (view) => emit({ event: 'file-offered', ...fileInfo(view) })),
      on('file-progress', (p) =>
        emit({
          event: 'file-progress',
          id: p.id,
          name: session.fileViews().find((f) => f.id === p.id)?.name ?? p.id,
          state: p.state,
          received: p.received,
          size: p.size,
          percent: percentOf(p.received, p.size),
          bytesPerSecond: Math.round(p.bytesPerSecond),
          secondsLeft: p.secondsLeft,
        }),
      ),
      on('file-complete', (view) => {
        emit({ event: 'file-complete', ...fileInfo(view) });
        const target = this.saveTo.get(view.id);
        if (target !== undefined) void this.saveReporting(view, target);
      }),
      on('file-failed', (e) => {
        this.saveTo.delete(e.id);
        emit({ event: 'file-failed', ...fileInfo(e), reason: e.reason, message: e.message });
      }),
      on('file-expired', (view) => {
        this.saveTo.delete(view.id);
        emit({ event: 'file-expired', ...fileInfo(view) });
      }),
    );
  }

  /** /send PATH: hashes and seals the file in the background, then offers it. */
  async send(typedPath: string): Promise<void> {
    const file = this.localPath(typedPath);
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) throw new FileCommandError(`Cannot read "${typedPath}": not a file.`);
    const source = await nodeFileSource(file, TYPES[path.extname(file).toLowerCase()] ?? '');
    this.o.emit({
      event: 'notice',
      message: `preparing "${source.name}" (${formatBytes(source.size)}): it is offered to the room once sealed`,
    });
    void this.o.session.sendFile(source).catch((error: unknown) => this.report(error));
  }

  /** /get ID [PATH]: says the size and where it goes, then fetches (or saves at once). */
  async get(typedId: string, typedPath?: string): Promise<void> {
    const view = this.find(typedId);
    if (view.state === 'expired') throw new FileCommandError(`"${view.name}" has expired.`);
    if (this.saveTo.has(view.id)) {
      throw new FileCommandError(
        `"${view.name}" is already on its way to ${this.saveTo.get(view.id)}.`,
      );
    }
    const target = await this.targetPath(view, typedPath);
    this.o.emit({
      event: 'notice',
      message: `getting "${view.name}" (${formatBytes(view.size)}) from ${view.own ? 'you' : view.from} into ${target}`,
    });
    if (view.state === 'complete') return this.saveReporting(view, target);
    this.saveTo.set(view.id, target);
    try {
      await this.o.session.fetchFile(view.id);
    } catch (error) {
      this.saveTo.delete(view.id);
      throw error;
    }
  }

  /** /cancel ID: stops a fetch; what arrived is deleted (it can be fetched again). */
  async cancel(typedId: string): Promise<void> {
    const view = this.find(typedId);
    this.saveTo.delete(view.id);
    const after = await this.o.session.cancelFile(view.id);
    this.o.emit({ event: 'notice', message: `"${after.name}": cancelled, nothing kept` });
  }

  list(): void {
    this.o.emit({ event: 'files', files: this.o.session.fileViews().map(fileInfo) });
  }

  private find(typedId: string): FileView {
    const views = this.o.session.fileViews();
    const id = resolveFileId(
      typedId,
      views.map((v) => v.id),
    );
    return views.find((v) => v.id === id)!;
  }

  private localPath(typed: string): string {
    const expanded = typed === '~' || typed.startsWith('~/') ? homedir() + typed.slice(1) : typed;
    return path.resolve(this.o.cwd, expanded);
  }

  /**
   * Where a file is saved: PATH itself (never overwriting a file), inside PATH when it is
   * a directory, or in the working directory; under the offer's name made safe, numbered
   * when that name is taken.
   */
  private async targetPath(view: FileView, typedPath?: string): Promise<string> {
    let dir = this.o.cwd;
    if (typedPath !== undefined) {
      const wanted = this.localPath(typedPath);
      const info = await stat(wanted).catch(() => null);
      if (info?.isDirectory()) dir = wanted;
      else if (info)
        throw new FileCommandError(`"${typedPath}" already exists: choose another PATH.`);
      else {
        const parent = await stat(path.dirname(wanted)).catch(() => null);
        if (!parent?.isDirectory()) {
          throw new FileCommandError(`Cannot save to "${typedPath}": no such directory.`);
        }
        return wanted;
      }
    }
    const name = safeFileName(view.name);
    for (let n = 0; ; n++) {
      const candidate = path.join(dir, numberedName(name, n));
      if (!(await stat(candidate).catch(() => null))) return candidate;
    }
  }

  private async saveReporting(view: FileView, target: string): Promise<void> {
    this.saveTo.delete(view.id);
    try {
      await this.save(view, target);
    } catch (error) {
      this.report(error);
    }
  }

  /** Writes the verified plaintext (piece by piece) to a new file; removed on any failure. */
  private async save(view: FileView, target: string): Promise<void> {
    const handle = await open(target, 'wx', 0o600).catch((error: { code?: string }) => {
      throw new FileCommandError(`Cannot create "${target}" (${error.code ?? 'error'}).`);
    });
    const hash = createHash('sha256');
    let bytes = 0;
    try {
      for await (const piece of this.o.session.readFile(view.id)) {
        hash.update(piece);
        await handle.write(piece);
        bytes += piece.length;
      }
      await handle.close();
    } catch (error) {
      await handle.close().catch(() => {});
      await unlink(target).catch(() => {});
      throw error;
    }
    const sha256 = hash.digest('hex');
    if (sha256 !== view.sha256 || bytes !== view.size) {
      await unlink(target).catch(() => {});
      throw new FileCommandError(`"${view.name}" did not match its offer when saved; deleted.`);
    }
    this.o.emit({ event: 'file-saved', id: view.id, name: view.name, path: target, bytes, sha256 });
  }

  private report(error: unknown): void {
    this.o.emit({ event: 'error', message: (error as Error)?.message ?? String(error) });
  }
}
