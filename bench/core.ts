// npm run bench:core — the room engine in Node on loopback, with the real server:
//  1. one-way latency over the secure channel vs a raw data-channel send (same run);
//  2. join time: from RoomSession.join(link) to the first verified peer;
//  3. catch-up: a newcomer receiving 10,000 messages it missed, relayed by the host.
// The host is a terminal client (its own process: y-webrtc allows one provider per room
// per realm); the joiner runs here, so one clock times it. Last line is the headline.
import wrtc from '@roamhq/wrtc';
import { availableParallelism, loadavg } from 'node:os';
import WebSocket from 'ws';
import { MemoryHistoryStore } from '../client/core/memory-history-store';
import { RoomSession } from '../client/core/room-session';
import { ServerApi } from '../client/core/server-api';
import { startNodeCryptoWorker } from '../client/crypto/node-worker';
import { CliPeer } from '../test/helpers/cli-peer';
import { TEST_PASSWORD } from '../test/helpers/api';
import { startTestServer } from '../test/helpers/server';
import { measureLatency, percentile } from './core-latency';

const MISSED = Number(process.env.BENCH_MISSED ?? 10_000);
const JOINS = Number(process.env.BENCH_JOINS ?? 3);
const round = (ms: number) => Math.round(ms * 100) / 100;

async function hostWithHistory(serverUrl: string): Promise<{ host: CliPeer; link: string }> {
  const host = new CliPeer({ server: serverUrl, username: 'benchhost', room: 'create' });
  const link = await host.link(60_000);
  // Written while nobody else is in the room: every one of them is missed by the joiners.
  const started = performance.now();
  for (let i = 1; i <= MISSED; i++) host.send(`missed message ${i}`);
  await host.waitForCount('sent', MISSED, 600_000);
  console.log(`host wrote ${MISSED} messages in ${Math.round(performance.now() - started)} ms`);
  return { host, link };
}

async function joinOnce(serverUrl: string, link: string, n: number) {
  const server = new ServerApi({ baseUrl: serverUrl });
  const username = `benchjoiner${n}`;
  await server.register(username, TEST_PASSWORD);
  await server.login(username, TEST_PASSWORD);
  const worker = startNodeCryptoWorker();
  const identity = await worker.api.createIdentity();
  let received = 0;
  let verifiedAt = 0;
  let caughtUpAt = 0;
  let allIn!: () => void;
  const caughtUp = new Promise<void>((resolve) => (allIn = resolve));
  let firstVerified!: () => void;
  const verified = new Promise<void>((resolve) => (firstVerified = resolve));

  const started = performance.now();
  const session = await RoomSession.join(link, {
    server,
    crypto: worker.api,
    identity,
    store: new MemoryHistoryStore(),
    displayName: username,
    username,
    wrtc,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
  });
  session.on('peer-verified', () => {
    if (verifiedAt === 0) verifiedAt = performance.now();
    firstVerified();
  });
  session.on('message', () => {
    if (++received === MISSED) {
      caughtUpAt = performance.now();
      allIn();
    }
  });
  await verified;
  await caughtUp;
  await session.leave();
  await worker.terminate();
  return { join: verifiedAt - started, catchUp: caughtUpAt - verifiedAt };
}

const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

async function main(): Promise<void> {
  // NOTE: other work on this machine slows every figure; the load says how much there was.
  console.log(`load average at start: ${load()} (${availableParallelism()} cores)`);
  const latency = await measureLatency();
  console.log(
    `latency over ${latency.samples} messages: secure p50 ${round(latency.secure.p50)} ms, ` +
      `p99 ${round(latency.secure.p99)} ms; raw p50 ${round(latency.raw.p50)} ms, ` +
      `p99 ${round(latency.raw.p99)} ms; ratio ${round(latency.secure.p50 / latency.raw.p50)}`,
  );

  const server = await startTestServer();
  const { host, link } = await hostWithHistory(server.url);
  const joins: number[] = [];
  const catchUps: number[] = [];
  for (let n = 1; n <= JOINS; n++) {
    const trial = await joinOnce(server.url, link, n);
    console.log(
      `join ${n}: verified after ${round(trial.join)} ms, ${MISSED} messages in ${round(trial.catchUp)} ms`,
    );
    joins.push(trial.join);
    catchUps.push(trial.catchUp);
  }
  await host.dispose();
  await server.close();
  console.log(`load average at end: ${load()}`);
  const median = (xs: number[]) =>
    percentile(
      xs.slice().sort((a, b) => a - b),
      50,
    );
  console.log(
    `core: secure p50 ${round(latency.secure.p50)} ms, raw p50 ${round(latency.raw.p50)} ms, ` +
      `p99 ${round(latency.secure.p99)} ms, join ${Math.round(median(joins))} ms, ` +
      `catch-up ${Math.round(median(catchUps))} ms`,
  );
}

await main();
// NOTE: @roamhq/wrtc keeps native threads alive; leave explicitly.
process.exit(0);
