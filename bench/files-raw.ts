// The raw baseline of bench:files: a plain RTCDataChannel between two blank pages of the
// same browser (own contexts), the fastest plain configuration: 256 KiB messages, sent
// while bufferedAmount < 8 MiB, resumed at 4 MiB (the same water marks as our file
// channel). No crypto, no storage, no framing. Times come from one clock
// (performance.timeOrigin + now()) shared by both pages.
import type { Browser, Page } from 'playwright-core';

const MESSAGE = 256 * 1024;
const HIGH_WATER = 8 * 1024 * 1024;
const LOW_WATER = 4 * 1024 * 1024;

type RawWindow = Window & { pc: RTCPeerConnection; opened: Promise<RTCDataChannel> };

async function blankPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.setContent('<p>raw</p>');
  return page;
}

async function connect(page: Page, remoteOffer?: string): Promise<string> {
  return page.evaluate(async (offer) => {
    const w = window as unknown as RawWindow;
    const pc = (w.pc = new RTCPeerConnection());
    const dc = pc.createDataChannel('raw', { negotiated: true, id: 7 });
    dc.binaryType = 'arraybuffer';
    w.opened = new Promise((resolve) => (dc.onopen = () => resolve(dc)));
    if (offer) {
      await pc.setRemoteDescription({ type: 'offer', sdp: offer });
      await pc.setLocalDescription(await pc.createAnswer());
    } else {
      await pc.setLocalDescription(await pc.createOffer());
    }
    while (pc.iceGatheringState !== 'complete') await new Promise((r) => setTimeout(r, 20));
    return pc.localDescription!.sdp;
  }, remoteOffer);
}

/** MiB/s of `bytes` from the sender's first send() to the receiver's last byte. */
/** `beforeClose` runs once the bytes are in, before the two pages (and their processes) go. */
export async function rawThroughput(
  browser: Browser,
  bytes: number,
  beforeClose?: () => void,
): Promise<number> {
  const [sender, receiver] = [await blankPage(browser), await blankPage(browser)];
  try {
    const offer = await connect(sender);
    const answer = await connect(receiver, offer);
    await sender.evaluate(async (sdp) => {
      const w = window as unknown as RawWindow;
      await w.pc.setRemoteDescription({ type: 'answer', sdp });
      await w.opened;
    }, answer);
    await receiver.evaluate(() => (window as unknown as RawWindow).opened);
    const received = receiver.evaluate(
      (total) =>
        new Promise<number>((resolve) => {
          void (window as unknown as RawWindow).opened.then((dc) => {
            let got = 0;
            dc.onmessage = (event: MessageEvent<ArrayBuffer>) => {
              got += event.data.byteLength;
              if (got >= total) resolve(performance.timeOrigin + performance.now());
            };
          });
        }),
      bytes,
    );
    received.catch(() => undefined); // a failed send reports first; this one then fails too
    const started = await sender.evaluate(
      async ({ total, message, high, low }) => {
        const dc = await (window as unknown as RawWindow).opened;
        dc.bufferedAmountLowThreshold = low;
        const payload = new Uint8Array(message);
        // getRandomValues fills at most 64 KiB at a time.
        for (let at = 0; at < message; at += 65536) {
          crypto.getRandomValues(payload.subarray(at, at + 65536));
        }
        const start = performance.timeOrigin + performance.now();
        for (let sent = 0; sent < total;) {
          if (dc.bufferedAmount >= high) {
            await new Promise((r) => dc.addEventListener('bufferedamountlow', r, { once: true }));
            continue;
          }
          const length = Math.min(message, total - sent);
          dc.send(length === message ? payload : payload.subarray(0, length));
          sent += length;
        }
        return start;
      },
      { total: bytes, message: MESSAGE, high: HIGH_WATER, low: LOW_WATER },
    );
    const ended = await received;
    return bytes / (1024 * 1024) / ((ended - started) / 1000);
  } finally {
    beforeClose?.();
    await sender.context().close();
    await receiver.context().close();
  }
}
