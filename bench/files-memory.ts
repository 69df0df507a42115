// The receiving tab's memory for bench:files: every JS heap of one browser context (its
// page and its dedicated workers: the crypto worker, the OPFS worker), used size plus
// ArrayBuffer backing stores, summed and sampled a few times a second through the
// browser's DevTools protocol. The peak of that sum is what the benchmark reports.
import type { Browser, CDPSession, Page } from 'playwright-core';

interface TargetInfo {
  targetId: string;
  type: string;
  browserContextId?: string;
}

interface HeapUsage {
  usedSize: number;
  backingStorageSize?: number;
}

const SAMPLE_EVERY_MS = 200;

export class ContextHeapSampler {
  peakBytes = 0;
  private readonly sessions = new Map<string, string>(); // targetId -> sessionId
  private readonly pending = new Map<string, (usage: HeapUsage | null) => void>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private nextId = 1;
  private sampling = false;

  private constructor(
    private readonly cdp: CDPSession,
    private readonly contextId: string,
  ) {
    cdp.on('Target.receivedMessageFromTarget', (event: { sessionId: string; message: string }) => {
      const reply = JSON.parse(event.message) as { id?: number; result?: HeapUsage };
      if (reply.id === undefined) return;
      const key = `${event.sessionId}:${reply.id}`;
      this.pending.get(key)?.(reply.result ?? null);
      this.pending.delete(key);
    });
  }

  static async forPage(browser: Browser, page: Page): Promise<ContextHeapSampler> {
    const pageSession = await page.context().newCDPSession(page);
    const { targetInfo } = (await pageSession.send('Target.getTargetInfo')) as {
      targetInfo: TargetInfo;
    };
    await pageSession.detach();
    const cdp = await browser.newBrowserCDPSession();
    return new ContextHeapSampler(cdp, targetInfo.browserContextId!);
  }

  start(): void {
    this.timer = setInterval(() => void this.sample(), SAMPLE_EVERY_MS);
  }

  async stop(): Promise<number> {
    clearInterval(this.timer);
    await this.sample();
    await this.cdp.detach().catch(() => undefined);
    return this.peakBytes;
  }

  /** One sample: attaches to targets that appeared since (a worker started lazily). */
  async sample(): Promise<void> {
    if (this.sampling) return;
    this.sampling = true;
    try {
      const { targetInfos } = (await this.cdp.send('Target.getTargets')) as {
        targetInfos: TargetInfo[];
      };
      const mine = targetInfos.filter(
        (t) => t.browserContextId === this.contextId && (t.type === 'page' || t.type === 'worker'),
      );
      for (const target of mine) {
        if (this.sessions.has(target.targetId)) continue;
        const { sessionId } = (await this.cdp.send('Target.attachToTarget', {
          targetId: target.targetId,
          flatten: false,
        })) as { sessionId: string };
        this.sessions.set(target.targetId, sessionId);
      }
      const alive = new Set(mine.map((t) => t.targetId));
      const usages = await Promise.all(
        [...this.sessions]
          .filter(([targetId]) => alive.has(targetId))
          .map(([, sessionId]) => this.heapUsage(sessionId)),
      );
      const total = usages.reduce(
        (sum, u) => sum + (u ? u.usedSize + (u.backingStorageSize ?? 0) : 0),
        0,
      );
      this.peakBytes = Math.max(this.peakBytes, total);
    } catch {
      // A target that went away mid-sample: the next sample sees the new set.
    } finally {
      this.sampling = false;
    }
  }

  private heapUsage(sessionId: string): Promise<HeapUsage | null> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(`${sessionId}:${id}`);
        resolve(null);
      }, 2000);
      this.pending.set(`${sessionId}:${id}`, (usage) => {
        clearTimeout(timer);
        resolve(usage);
      });
      void this.cdp
        .send('Target.sendMessageToTarget', {
          sessionId,
          message: JSON.stringify({ id, method: 'Runtime.getHeapUsage' }),
        })
        .catch(() => resolve(null));
    });
  }
}
