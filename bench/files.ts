// npm run bench:files: file transfer in Chromium, two browser contexts (two people) on
// loopback through the real server (which also serves the page, bench/fixtures/files).
//  1. raw: a plain RTCDataChannel between two blank pages, the fastest plain configuration
//     (256 KiB messages, 8 MiB bufferedAmount high-water mark), before and after 2. (the
//     machine's load drifts: the baseline is their mean);
//  2. encrypted: our code end to end - sendFile (sealed into OPFS first, timed apart),
//     then the receiver's fetchFile until the file is verified (whole-file SHA-256);
//     meanwhile both people chat (a message every 100 ms each way), and the receiving
//     tab's JS heaps (page and workers) are sampled.
// Last line: `files: encrypted X MiB/s, raw Y MiB/s, ratio R, chat p99 Z ms, peak W MB`.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { launchChromium } from '../test/helpers/chromium';
import { startTestServer, type TestServer } from '../test/helpers/server';
import { chromiumCpu, cpuLines, cpuMsPerMiB, cpuSince, type CpuTicks } from './chromium-cpu';
import { percentile } from './core-latency';
import { chatDelayLines, type ChannelEvent } from './files-chat-delay';
import { ContextHeapSampler } from './files-memory';
import { rawThroughput } from './files-raw';

const MiB = 1024 * 1024;
const FILE_MIB = Number(process.env.BENCH_FILE_MIB ?? 512);
/** Measured twice, before and after the encrypted transfer (the machine's load drifts). */
const RAW_MIB = Number(process.env.BENCH_RAW_MIB ?? 256);
const CHAT_EVERY_MS = 100;
const PASSWORD = 'correct horse bench battery';
const fixtureRoot = fileURLToPath(new URL('./fixtures/files/', import.meta.url));

const LIMITS = {
  registerPerIp: { points: 100, durationSeconds: 3600 },
  loginPerIp: { points: 100, durationSeconds: 3600 },
  loginPerUsernameAndIp: { points: 100, durationSeconds: 3600 },
  createRoomPerUser: { points: 100, durationSeconds: 3600 },
  admitPerUserAndRoom: { points: 100, durationSeconds: 3600 },
};

const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
const mibPerSecond = (bytes: number, ms: number) => bytes / MiB / (ms / 1000);

async function person(browser: Browser, url: string, who = ''): Promise<Page> {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.log(`page error: ${error.message}`));
  page.on('crash', () => console.log('page crashed'));
  page.on('console', (m) => {
    if (m.type() === 'error') console.log(`page console ${who}: ${m.text()}`);
  });
  await page.goto(url);
  await page.getByText('ready').waitFor();
  return page;
}

async function main(): Promise<void> {
  console.log(`load average at start: ${load()} (${availableParallelism()} cores)`);
  const outDir = await mkdtemp(join(tmpdir(), 'bench-files-'));
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  try {
    await build({
      root: fixtureRoot,
      configFile: false,
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true, target: 'es2022' },
      worker: { format: 'es' },
    });
    server = await startTestServer({ STATIC_DIR: outDir }, { rateLimits: LIMITS });
    const url = server.url.replace(/\/+$/, '') + '/';
    browser = await launchChromium(
      process.env.BENCH_CHROMIUM_LOG ? ['--enable-logging=stderr', '--v=0'] : [],
    );
    const alice = await person(browser, url, 'alice');
    const bob = await person(browser, url, 'bob');
    // The raw baseline first, on a quiet browser (its own two blank pages).
    const rawCpu: CpuTicks[] = [];
    const rawStart = chromiumCpu();
    const rawBefore = await rawThroughput(browser, RAW_MIB * MiB, () =>
      rawCpu.push(cpuSince(rawStart)),
    );
    console.log(`raw data channel before: ${RAW_MIB} MiB at ${rawBefore.toFixed(1)} MiB/s`);

    const link = await alice.evaluate((pw) => window.filesBench.start('benchalice', pw), PASSWORD);
    await bob.evaluate(({ pw, link }) => window.filesBench.start('benchbob', pw, link), {
      pw: PASSWORD,
      link,
    });
    await Promise.all([alice, bob].map((p) => p.evaluate(() => window.filesBench.waitForPeer())));

    const size = FILE_MIB * MiB;
    const sent = await alice.evaluate((n) => window.filesBench.offer(n), size);
    console.log(
      `sender sealed ${FILE_MIB} MiB into OPFS in ${(sent.prepareMs / 1000).toFixed(1)} s (not in the transfer time)`,
    );
    const id = await bob.evaluate(() => window.filesBench.offered());
    if (id !== sent.id) throw new Error('the receiver was offered another file');

    const heap = await ContextHeapSampler.forPage(browser, bob);
    await heap.sample();
    const idleHeap = heap.peakBytes;
    heap.start();
    await Promise.all(
      [alice, bob].map((p) => p.evaluate((ms) => window.filesBench.startChat(ms), CHAT_EVERY_MS)),
    );
    // BENCH_PROFILE=FILE: a CPU profile of both pages' main threads over the first seconds.
    const profiling = process.env.BENCH_PROFILE
      ? await Promise.all(
          [alice, bob].map(async (page) => {
            const cdp = await page.context().newCDPSession(page);
            await cdp.send('Profiler.enable');
            await cdp.send('Profiler.start');
            return cdp;
          }),
        )
      : [];
    const fetchCpuStart = chromiumCpu();
    const fetchStarted = await bob.evaluate(() => window.filesBench.clock());
    const fetching = bob.evaluate((fileId) => window.filesBench.fetchFile(fileId), id);
    if (profiling.length) {
      await fetching.catch(() => undefined);
      for (const [i, cdp] of profiling.entries()) {
        const { profile } = (await cdp.send('Profiler.stop')) as { profile: unknown };
        await writeFile(
          `${process.env.BENCH_PROFILE}.${i ? 'receiver' : 'sender'}.cpuprofile`,
          JSON.stringify(profile),
        );
      }
    }
    const fetched = await fetching;
    const fetchCpu = cpuSince(fetchCpuStart);
    const [atAlice, atBob] = await Promise.all(
      [alice, bob].map((p) => p.evaluate(() => window.filesBench.stopChat())),
    );
    const latencies = [...atAlice!, ...atBob!];
    const slow = await bob.evaluate((t) => window.filesBench.slowest(t, 5), fetchStarted);
    const slowSends = await alice.evaluate(
      (t) => window.filesBench.slowestSends(t, 3),
      fetchStarted,
    );
    console.log(
      `slowest sends at the sender ([ms into the fetch, ms]): ${JSON.stringify(slowSends)}`,
    );
    console.log(
      `slowest probes at the receiver ([ms into the fetch, latency ms]): ${JSON.stringify(slow)}`,
    );
    if (process.env.BENCH_CHANNEL_LOG) {
      const until = fetchStarted + Number(process.env.BENCH_CHANNEL_LOG) * 1000;
      const [sent, got] = await Promise.all(
        [alice, bob].map((p) =>
          p.evaluate(([s, u]) => window.filesBench.channelLog(s!, u!), [fetchStarted, until]),
        ),
      );
      const probes = await bob.evaluate((t) => window.filesBench.probes(t), fetchStarted);
      const calls = await Promise.all(
        [alice, bob].map((p) => p.evaluate((t) => window.filesBench.calls(t), fetchStarted)),
      );
      await writeFile(
        '/tmp/bench-files-channels.json',
        JSON.stringify({ sent, got, probes, calls }),
      );
      console.log('channel events and crypto calls written to /tmp/bench-files-channels.json');
      for (const line of chatDelayLines(sent as ChannelEvent[], got as ChannelEvent[], probes)) {
        console.log(line);
      }
    }
    const p99Of = (xs: number[]) =>
      percentile(
        xs.slice().sort((a, b) => a - b),
        99,
      ).toFixed(0);
    console.log(
      `chat p99 sender to receiver ${p99Of(atBob!)} ms, receiver to sender ${p99Of(atAlice!)} ms`,
    );
    const peak = await heap.stop();
    const encrypted = mibPerSecond(fetched.bytes, fetched.ms);
    console.log(
      `longest pause in the file data at the receiver: ${fetched.longestPause[1]} ms, ` +
        `${fetched.longestPause[0]} ms into the fetch (progress events come every 250 ms)`,
    );
    const rawAfterStart = chromiumCpu();
    const rawAfter = await rawThroughput(browser, RAW_MIB * MiB, () =>
      rawCpu.push(cpuSince(rawAfterStart)),
    );
    console.log(`raw data channel after: ${RAW_MIB} MiB at ${rawAfter.toFixed(1)} MiB/s`);
    const raw = (rawBefore + rawAfter) / 2;
    console.log(
      `raw baseline: ${raw.toFixed(1)} MiB/s (mean of both; 256 KiB messages, 8 MiB high-water)`,
    );
    latencies.sort((a, b) => a - b);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    console.log(
      `encrypted: ${FILE_MIB} MiB fetched and verified in ${(fetched.ms / 1000).toFixed(1)} s ` +
        `(${encrypted.toFixed(1)} MiB/s)`,
    );
    console.log(
      `chat during the transfer: ${latencies.length} messages, p50 ${p50.toFixed(1)} ms, ` +
        `p99 ${p99.toFixed(1)} ms, max ${(latencies.at(-1) ?? 0).toFixed(1)} ms`,
    );
    console.log(
      `receiving tab JS heaps (page + workers, incl. ArrayBuffers): ${(idleHeap / 1e6).toFixed(0)} MB ` +
        `before, peak ${(peak / 1e6).toFixed(0)} MB during`,
    );
    if (fetchCpu.size > 0) {
      const rawMs = rawCpu.map((used) => cpuMsPerMiB(used, RAW_MIB));
      const rawMean = (rawMs[0]! + rawMs[1]!) / 2;
      const ours = cpuMsPerMiB(fetchCpu, FILE_MIB);
      console.log(
        `Chromium CPU per MiB moved (all processes): encrypted ${ours.toFixed(0)} ms, ` +
          `raw ${rawMean.toFixed(0)} ms (${rawMs.map((x) => x.toFixed(0)).join(' and ')}), ` +
          `ratio ${(rawMean / ours).toFixed(2)}`,
      );
      if (process.env.BENCH_CPU_DETAIL) {
        console.log('encrypted, busiest threads:');
        for (const line of cpuLines(fetchCpu, FILE_MIB)) console.log(line);
        console.log('raw (first run), busiest threads:');
        for (const line of cpuLines(rawCpu[0]!, RAW_MIB)) console.log(line);
      }
    }
    console.log(`load average at end: ${load()}`);
    console.log(
      `files: encrypted ${encrypted.toFixed(1)} MiB/s, raw ${raw.toFixed(1)} MiB/s, ` +
        `ratio ${(encrypted / raw).toFixed(2)}, chat p99 ${Math.round(p99)} ms, ` +
        `peak ${Math.round(peak / 1e6)} MB`,
    );
  } finally {
    await browser?.close();
    await server?.close();
    await rm(outDir, { recursive: true, force: true });
  }
}

await main();
process.exit(0);
