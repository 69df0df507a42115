// Drives a session-peer.ts process: send commands, wait for events it reports.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const PEER_SCRIPT = fileURLToPath(new URL('./session-peer.ts', import.meta.url));

export type PeerEvent = { event: string } & Record<string, unknown>;

export class PeerProcess {
  readonly events: PeerEvent[] = [];
  private readonly child: ChildProcess;
  private waiters: { match: (e: PeerEvent) => boolean; resolve: (e: PeerEvent) => void }[] = [];
  stderr = '';
  exit = 'running';
  /** Events only counted, not kept (bulk runs). */
  readonly quiet = new Set<string>();
  readonly counts = new Map<string, number>();
  lastQuiet: PeerEvent | null = null;

  constructor(serverUrl: string, username: string, password: string, wsBase?: string) {
    const args = [
      '--import',
      'tsx',
      PEER_SCRIPT,
      serverUrl,
      username,
      password,
      ...(wsBase ? [wsBase] : []),
    ];
    this.child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let buffer = '';
    this.child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let index: number;
      while ((index = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, index);
        buffer = buffer.slice(index + 1);
        if (!line.startsWith('{')) {
          this.stderr += line + '\n';
          continue;
        }
        const event = JSON.parse(line) as PeerEvent;
        if (this.quiet.has(event.event)) {
          this.counts.set(event.event, (this.counts.get(event.event) ?? 0) + 1);
          if (event.event === 'message') this.lastQuiet = event;
          continue;
        }
        this.events.push(event);
        this.waiters = this.waiters.filter((w) => {
          if (!w.match(event)) return true;
          w.resolve(event);
          return false;
        });
      }
    });
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.child.on('exit', (code, signal) => (this.exit = `exited with ${signal ?? code}`));
  }

  command(command: Record<string, unknown>): void {
    this.child.stdin!.write(JSON.stringify(command) + '\n');
  }

  /** The first event (already seen or future) that matches; rejects after `timeoutMs`. */
  waitFor(
    event: string,
    where: (e: PeerEvent) => boolean = () => true,
    timeoutMs = 20_000,
  ): Promise<PeerEvent> {
    const match = (e: PeerEvent) => e.event === event && where(e);
    const seen = this.events.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          void this.probe().then((alive) =>
            reject(
              new Error(
                `no '${event}' within ${timeoutMs} ms; saw ${this.events.map((e) => e.event).join(',')}; ${alive}, ${this.exit}; stderr: ${this.stderr.slice(-2000)}`,
              ),
            ),
          ),
        timeoutMs,
      );
      this.waiters.push({
        match,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      });
    });
  }

  /** Whether the process still answers a command (for failure messages). */
  private probe(): Promise<string> {
    const before = this.events.length;
    this.command({ cmd: 'ping' });
    return new Promise((resolve) => {
      const started = Date.now();
      const check = () => {
        if (this.events.slice(before).some((e) => e.event === 'stats'))
          return resolve('it still answers');
        if (Date.now() - started > 2000) return resolve('it does not answer (stuck or busy)');
        setTimeout(check, 50);
      };
      check();
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.stdin!.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}
