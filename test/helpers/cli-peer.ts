// One person at a terminal: `tsx client/cli/main.ts --json ...` as a child process, with
// typed helpers to wait for what it prints, type lines, kill and restart it. Each peer is
// its own process because y-webrtc allows one provider per room name per JS realm.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliEvent } from '../../client/cli/events';
import { TEST_PASSWORD } from './api';

const MAIN = fileURLToPath(new URL('../../client/cli/main.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Every JSON line the client prints: its CliEvents plus `fatal` before a failed exit. */
export type PeerEvent = CliEvent | { event: 'fatal'; message: string };
export type EventOf<K extends PeerEvent['event']> = Extract<PeerEvent, { event: K }>;

export interface CliPeerOptions {
  server: string;
  username: string;
  /** `create` makes a room; a string is a room link to join. */
  room: 'create' | string;
  args?: string[];
  password?: string;
  roomPassword?: string;
  /** Reuse a data directory (history survives); a fresh temp dir otherwise. */
  dataDir?: string;
  /** Text mode (no --json), as a person sees it: read `stdout`/`stderr`, waitForText. */
  text?: boolean;
}

export class CliPeerExitedError extends Error {
  override name = 'CliPeerExitedError';
}

export class CliPeer {
  readonly events: PeerEvent[] = [];
  /** Everything printed on stdout (kept in text mode). */
  stdout = '';
  /** How many events of each kind arrived (cheap to check with thousands of events). */
  readonly counts = new Map<string, number>();
  stderr = '';
  exitCode: number | null = null;
  readonly dataDir: string;
  private child!: ChildProcess;
  private exited!: Promise<number>;
  private readonly waiters = new Set<() => void>();
  private readonly secretsDir: string;
  private argv: string[] = [];

  constructor(readonly options: CliPeerOptions) {
    this.secretsDir = mkdtempSync(path.join(tmpdir(), 'cli-peer-secrets-'));
    this.dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'cli-peer-data-'));
    const passwordFile = path.join(this.secretsDir, 'password');
    writeFileSync(passwordFile, (options.password ?? TEST_PASSWORD) + '\n', { mode: 0o600 });
    this.argv = [
      ...(options.text ? [] : ['--json']),
      '--register',
      '--server',
      options.server,
      '--username',
      options.username,
      '--password-file',
      passwordFile,
      '--data-dir',
      this.dataDir,
      ...(options.room === 'create' ? ['--create'] : ['--room', options.room]),
      ...(options.args ?? []),
    ];
    if (options.roomPassword !== undefined) {
      const roomPasswordFile = path.join(this.secretsDir, 'room-password');
      writeFileSync(roomPasswordFile, options.roomPassword, { mode: 0o600 });
      this.argv.push('--room-password-file', roomPasswordFile);
    }
    this.start();
  }

  get name(): string {
    return this.options.username;
  }

  private start(): void {
    this.exitCode = null;
    this.child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...this.argv], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    let pending = '';
    this.child.stdout!.setEncoding('utf8');
    this.child.stdout!.on('data', (chunk: string) => {
      if (this.options.text) {
        this.stdout += chunk;
        return this.wake();
      }
      pending += chunk;
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        if (line.trim() === '') continue;
        try {
          const event = JSON.parse(line) as PeerEvent;
          this.events.push(event);
          this.counts.set(event.event, (this.counts.get(event.event) ?? 0) + 1);
        } catch {
          this.stderr += `[non-JSON stdout] ${line}\n`;
        }
      }
      this.wake();
    });
    this.child.stderr!.setEncoding('utf8');
    this.child.stderr!.on('data', (chunk: string) => {
      this.stderr += chunk;
      if (this.options.text) this.wake();
    });
    this.child.stdin!.on('error', () => {}); // writing to a peer that just died
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exitCode = code ?? (signal ? 128 : 1);
        this.wake();
        resolve(this.exitCode);
      });
    });
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  /** Index of the next event: pass it as `after` to wait only for what comes later. */
  mark(): number {
    return this.events.length;
  }

  /** All events of one kind seen so far (from `after` on). */
  all<K extends PeerEvent['event']>(kind: K, after = 0): EventOf<K>[] {
    return this.events.slice(after).filter((e): e is EventOf<K> => e.event === kind);
  }

  /** Messages (from others and own) with this text seen so far. */
  messages(text?: string): EventOf<'message'>[] {
    return this.all('message').filter((m) => text === undefined || m.text === text);
  }

  /**
   * Re-checks `probe` whenever the client prints something; resolves with its first
   * non-undefined answer, rejects when the client exits first or after `timeout` ms.
   */
  private waitUntil<T>(
    probe: () => T | undefined,
    what: string,
    timeout: number,
    context: () => string,
  ): Promise<T> {
    return new Promise((resolve, reject) => {
      const done = (settle: () => void) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        settle();
      };
      const check = () => {
        const found = probe();
        if (found !== undefined) return done(() => resolve(found));
        if (this.exitCode !== null) {
          const message = `${this.name} exited (${this.exitCode}) before ${what}:\n${this.stderr}`;
          done(() => reject(new CliPeerExitedError(message)));
        }
      };
      const timer = setTimeout(() => {
        const message = `${this.name}: no ${what} within ${timeout} ms. ${context()}`;
        done(() => reject(new Error(message)));
      }, timeout);
      this.waiters.add(check);
      check();
    });
  }

  private recentEvents(): string {
    return `Events: ${JSON.stringify(this.events.slice(-15))}\nstderr: ${this.stderr.slice(-2000)}`;
  }

  /** Resolves with the first event (from `after` on) matching; rejects on timeout or exit. */
  waitForEvent<K extends PeerEvent['event']>(
    kind: K,
    predicate: (event: EventOf<K>) => boolean = () => true,
    { timeout = 20_000, after = 0 }: { timeout?: number; after?: number } = {},
  ): Promise<EventOf<K>> {
    return this.waitUntil(
      () => this.all(kind, after).find(predicate),
      `"${kind}" event`,
      timeout,
      () => this.recentEvents(),
    );
  }

  /** Resolves once `count` events of this kind arrived in total; rejects on timeout or exit. */
  async waitForCount(kind: PeerEvent['event'], count: number, timeout = 20_000): Promise<void> {
    await this.waitUntil(
      () => ((this.counts.get(kind) ?? 0) >= count ? true : undefined),
      `${count} "${kind}" events`,
      timeout,
      () => `Got ${this.counts.get(kind) ?? 0}.`,
    );
  }

  /** Text mode: resolves with the first match in stdout or stderr; rejects on timeout or exit. */
  waitForText(pattern: RegExp, timeout = 20_000): Promise<RegExpMatchArray> {
    return this.waitUntil(
      () => this.stdout.match(pattern) ?? this.stderr.match(pattern) ?? undefined,
      String(pattern),
      timeout,
      () => `stdout: ${this.stdout.slice(-1500)}\nstderr: ${this.stderr.slice(-1500)}`,
    );
  }

  /** Waits until a message with this text is shown. */
  waitForMessage(text: string, timeout?: number): Promise<EventOf<'message'>> {
    return this.waitForEvent('message', (m) => m.text === text, { timeout });
  }

  /** Waits until `username` has a verified secure channel with this peer. */
  waitForVerified(username: string, options?: { timeout?: number; after?: number }) {
    return this.waitForEvent('peer-verified', (e) => e.username === username, options);
  }

  /** The room link (creator) once the room exists. */
  async link(timeout?: number): Promise<string> {
    const ready = await this.waitForEvent('ready', (e) => e.link !== undefined, { timeout });
    return ready.link!;
  }

  /** Types one line (a message or a command) and presses Enter. */
  send(line: string): void {
    this.child.stdin!.write(line + '\n');
  }

  /** Resolves with the exit code (waits for the process to end). */
  waitForExit(timeout = 15_000): Promise<number> {
    return Promise.race([
      this.exited,
      new Promise<number>((_, reject) =>
        setTimeout(
          () => reject(new Error(`${this.name} did not exit within ${timeout} ms`)),
          timeout,
        ),
      ),
    ]);
  }

  /** `/quit`, then waits for a clean exit. */
  async quit(): Promise<number> {
    if (this.exitCode !== null) return this.exitCode;
    this.send('/quit');
    return this.waitForExit();
  }

  /** Ends the process abruptly (a crash or a closed laptop): nothing is said to peers. */
  async kill(): Promise<void> {
    if (this.exitCode !== null) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /**
   * Starts the client again with the same account and data dir. A creator comes back
   * through the room's link (`room`), as a person would, instead of creating a new room.
   */
  async restart(room?: string): Promise<void> {
    if (this.exitCode === null) await this.kill();
    if (room !== undefined) {
      const at = this.argv.indexOf('--create');
      if (at >= 0) this.argv.splice(at, 1, '--room', room);
      else this.argv[this.argv.indexOf('--room') + 1] = room;
    }
    this.events.length = 0;
    this.counts.clear();
    this.stdout = '';
    this.stderr = '';
    this.start();
  }

  /** Kills it if still running and removes its temporary files. */
  async dispose(): Promise<void> {
    await this.kill();
    rmSync(this.secretsDir, { recursive: true, force: true });
    if (!this.options.dataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }
}
