// Drives a file-peer.ts process: send commands, wait for the events it reports.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const PEER_SCRIPT = fileURLToPath(new URL('./file-peer.ts', import.meta.url));

export type PeerEvent = { event: string } & Record<string, unknown>;

export class FilePeer {
  readonly events: PeerEvent[] = [];
  private readonly child: ChildProcess;
  private waiters: { match: (e: PeerEvent) => boolean; resolve: (e: PeerEvent) => void }[] = [];
  stderr = '';

  /** `quota`: the peer keeps chunks in memory, at most that many bytes. */
  constructor(
    serverUrl: string,
    username: string,
    password: string,
    dataDir: string,
    quota?: number,
  ) {
    this.child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        PEER_SCRIPT,
        serverUrl,
        username,
        password,
        dataDir,
        ...(quota ? [String(quota)] : []),
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
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
        this.events.push(event);
        this.waiters = this.waiters.filter((w) => {
          if (!w.match(event)) return true;
          w.resolve(event);
          return false;
        });
      }
    });
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
  }

  command(command: Record<string, unknown>): void {
    this.child.stdin!.write(JSON.stringify(command) + '\n');
  }

  /** Sends a command and waits for its answer: an event that comes after the command. */
  ask(
    command: Record<string, unknown>,
    event: string,
    where: (e: PeerEvent) => boolean = () => true,
    timeoutMs = 30_000,
  ): Promise<PeerEvent> {
    const from = this.events.length;
    this.command(command);
    return this.waitFor(event, (e) => this.events.indexOf(e) >= from && where(e), timeoutMs);
  }

  /** The first event (already seen or future) that matches; rejects after `timeoutMs`. */
  waitFor(
    event: string,
    where: (e: PeerEvent) => boolean = () => true,
    timeoutMs = 30_000,
  ): Promise<PeerEvent> {
    const match = (e: PeerEvent) => e.event === event && where(e);
    const seen = this.events.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `no '${event}' within ${timeoutMs} ms; saw ${this.events
                .slice(-30)
                .map((e) => e.event)
                .join(',')}; stderr: ${this.stderr.slice(-2000)}`,
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

  /** Ends the process the hard way, like a closed tab or a crash. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.stdin!.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}
