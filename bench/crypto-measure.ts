// The measurement behind npm run bench:crypto, shared by the Node run and the Chromium
// worker run so both use the identical method. Runtime-neutral on purpose: no node:*
// imports and no `process`; a runtime that can read its CPU time passes a clock in.
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { SecureChannel } from '../client/crypto/channel/secure-channel';
import { createDeviceIdentity } from '../client/crypto/identity';
import { CIPHER_SUITES, type CipherSuite } from '../client/crypto/primitives/aead';
import { DEFAULT_ARGON2, argon2idRaw } from '../client/crypto/primitives/argon2';
import { asBufferSource, randomBytes, toHex } from '../client/crypto/primitives/bytes';
import type { KeyAgreement } from '../client/crypto/primitives/ecdh';

const MiB = 1024 * 1024;
export const FRAME_SIZES = [64 * 1024, 256 * 1024] as const;
/**
 * The machine is shared and its load swings within seconds, so channel and baseline are
 * measured in PAIRS of short back-to-back trials (TRIAL_MS each, the order alternating
 * from pair to pair) and each pair gives one ratio; the figures printed are medians over
 * PAIRS pairs. A pair sees (nearly) the same background load on both sides, which a
 * best-of-N comparison of separate trials does not guarantee.
 */
export const TRIAL_MS = 100;
export const PAIRS = 21;

export interface MeasureOptions {
  /** Seconds of CPU time used by this process so far (all threads), if the runtime can tell. */
  readonly cpuSeconds?: () => number;
  /** Receives each printable line as soon as it is known (progress on a slow machine). */
  readonly log: (line: string) => void;
}

export interface ThroughputRow {
  readonly suite: CipherSuite;
  readonly sizeKiB: number;
  /** Median MiB/s of wall-clock time. */
  readonly channel: number;
  readonly rawAesGcm: number;
  /** Median of the per-pair ratios channel / raw AES-GCM. */
  readonly ratio: number;
  /** The same per CPU-second; null where the runtime cannot read CPU time (browsers). */
  readonly cpuRatio: number | null;
}

function fingerprint(): string {
  return 'sha-256 ' + (toHex(randomBytes(32)).match(/../g) ?? []).join(':');
}

export async function openChannelPair(suite: CipherSuite, keyAgreement: KeyAgreement) {
  const [aliceId, bobId] = await Promise.all([createDeviceIdentity(), createDeviceIdentity()]);
  const psk = randomBytes(32);
  const [fpA, fpB] = [fingerprint(), fingerprint()];
  const common = { psk, roomId: 'bench-room', suite, keyAgreement };
  const started = performance.now();
  const a = await SecureChannel.create({
    ...common,
    identity: aliceId,
    fingerprints: { local: fpA, remote: fpB },
  });
  const b = await SecureChannel.create({
    ...common,
    identity: bobId,
    fingerprints: { local: fpB, remote: fpA },
  });
  const aAuth = await a.channel.receive(b.hello);
  const bAuth = await b.channel.receive(a.hello);
  if (!aAuth.ok || !bAuth.ok) throw new Error('handshake failed');
  const aDone = await a.channel.receive(bAuth.value.reply[0]!);
  const bDone = await b.channel.receive(aAuth.value.reply[0]!);
  if (!aDone.ok || !bDone.ok) throw new Error('handshake failed');
  return { alice: a.channel, bob: b.channel, ms: performance.now() - started };
}

type ChannelPair = Awaited<ReturnType<typeof openChannelPair>>;

interface Trial {
  /** MiB per second of wall-clock time: what a user gets. */
  readonly wall: number;
  /** MiB per CPU-second (all threads): what the code costs, whatever else the machine runs. */
  readonly cpu: number | null;
  /** Every round's duration in microseconds (for the median round, a diagnostic). */
  readonly roundsUs: number[];
}

/** Runs `round` (which moves `bytesPerRound`) for TRIAL_MS. */
async function throughput(
  bytesPerRound: number,
  round: () => Promise<void>,
  cpuSeconds: (() => number) | undefined,
): Promise<Trial> {
  const roundsUs: number[] = [];
  const cpuBefore = cpuSeconds?.();
  const started = performance.now();
  let now = started;
  while (now - started < TRIAL_MS) {
    await round();
    const end = performance.now();
    roundsUs.push((end - now) * 1000);
    now = end;
  }
  const seconds = (now - started) / 1000;
  const mib = (roundsUs.length * bytesPerRound) / MiB;
  const cpu = cpuSeconds && cpuBefore !== undefined ? mib / (cpuSeconds() - cpuBefore) : null;
  return { wall: mib / seconds, cpu, roundsUs };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function channelRound(pair: ChannelPair, payload: Uint8Array) {
  const frames = await pair.alice.send(payload);
  if (!frames.ok) throw new Error(frames.message);
  for (const frame of frames.value) {
    const outcome = await pair.bob.receive(frame);
    if (!outcome.ok) throw new Error(outcome.message);
    for (const reply of outcome.value.reply) await pair.alice.receive(reply);
  }
}

/**
 * The baseline: raw WebCrypto AES-256-GCM encrypt then decrypt of a frame of the same size,
 * with one key imported once up front, sequential (no overlap between rounds), no
 * associated data. It does strictly less work than a channel round.
 */
async function rawAesGcmRound(
  key: CryptoKey,
  payload: Uint8Array<ArrayBuffer>,
  counter: { n: number },
) {
  const iv = new Uint8Array(12);
  new DataView(iv.buffer).setUint32(8, counter.n++);
  const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, payload);
  await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, key, sealed);
}

/**
 * Diagnostic only, not the baseline: the same raw round, but with a fresh key imported for
 * the seal and again for the open, sequentially, as a per-frame ratchet must. It shows how
 * much of the gap to raw is the WebCrypto import itself in this runtime.
 */
async function rawAesGcmPerFrameKeyRound(payload: Uint8Array<ArrayBuffer>, rawKey: Uint8Array) {
  const iv = new Uint8Array(12);
  const importOnce = () =>
    crypto.subtle.importKey('raw', asBufferSource(rawKey), 'AES-GCM', false, [
      'encrypt',
      'decrypt',
    ]);
  const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await importOnce(), payload);
  await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, await importOnce(), sealed);
}

function rawXChaChaRound(key: Uint8Array, payload: Uint8Array) {
  const nonce = randomBytes(24);
  const sealed = xchacha20poly1305(key, nonce).encrypt(payload);
  xchacha20poly1305(key, nonce).decrypt(sealed);
  return Promise.resolve();
}

const ratioOf = (a: Trial[], b: Trial[], pick: (t: Trial) => number | null) => {
  const ratios = a.map((t, i) => (pick(t) ?? NaN) / (pick(b[i]!) ?? NaN));
  return ratios.some(Number.isNaN) ? null : median(ratios);
};

async function measureSuite(
  suite: CipherSuite,
  size: number,
  aesKey: CryptoKey,
  { cpuSeconds, log }: MeasureOptions,
): Promise<ThroughputRow> {
  const payload = randomBytes(size);
  const chachaKey = randomBytes(32);
  const perFrameKeyBytes = randomBytes(32);
  const pair = await openChannelPair(suite, 'x25519');
  const counter = { n: 0 };
  const channel: Trial[] = [];
  const rawAes: Trial[] = [];
  const rawChaCha: Trial[] = [];
  const perFrameKey: Trial[] = [];
  const channelTrial = () => throughput(size, () => channelRound(pair, payload), cpuSeconds);
  const aesTrial = () =>
    throughput(size, () => rawAesGcmRound(aesKey, payload, counter), cpuSeconds);
  const chachaTrial = () => throughput(size, () => rawXChaChaRound(chachaKey, payload), cpuSeconds);
  const perFrameKeyTrial = () =>
    throughput(size, () => rawAesGcmPerFrameKeyRound(payload, perFrameKeyBytes), cpuSeconds);
  await channelTrial(); // warm-up
  await aesTrial();
  for (let t = 0; t < PAIRS; t++) {
    const channelFirst = t % 2 === 0;
    if (!channelFirst) rawAes.push(await aesTrial());
    channel.push(await channelTrial());
    if (channelFirst) rawAes.push(await aesTrial());
    if (suite === 'xchacha20-poly1305') rawChaCha.push(await chachaTrial());
    if (suite === 'aes-256-gcm') perFrameKey.push(await perFrameKeyTrial());
  }
  const row: ThroughputRow = {
    suite,
    sizeKiB: size / 1024,
    channel: median(channel.map((t) => t.wall)),
    rawAesGcm: median(rawAes.map((t) => t.wall)),
    ratio: ratioOf(channel, rawAes, (t) => t.wall)!,
    cpuRatio: ratioOf(channel, rawAes, (t) => t.cpu),
  };
  let line =
    `${suite.padEnd(24)} ${String(row.sizeKiB).padStart(3)} KiB  ` +
    `channel ${row.channel.toFixed(1).padStart(6)} MiB/s  ` +
    `raw AES-GCM ${row.rawAesGcm.toFixed(1).padStart(6)} MiB/s  ratio ${row.ratio.toFixed(2)}` +
    (row.cpuRatio === null ? '' : ` (per CPU-second ${row.cpuRatio.toFixed(2)})`);
  if (rawChaCha.length) {
    const xc = median(rawChaCha.map((t) => t.wall));
    line += `  raw noble XChaCha ${xc.toFixed(1)} MiB/s  ratio ${ratioOf(channel, rawChaCha, (t) => t.wall)!.toFixed(2)}`;
  }
  log(line);
  if (suite === 'aes-256-gcm') {
    // Diagnostic, not the target: the typical round leaves out the rounds that a GC
    // pause or the scheduler stretched, so it shows what the pipelined ratchet costs
    // per frame apart from the garbage its per-frame keys and buffers create.
    const chRound = median(channel.flatMap((t) => t.roundsUs));
    const rawRound = median(rawAes.flatMap((t) => t.roundsUs));
    log(
      `${''.padEnd(24)} median round: channel ${chRound.toFixed(0)} us, raw ${rawRound.toFixed(0)} us ` +
        `(ratio ${(rawRound / chRound).toFixed(2)}; leaves out rounds stretched by GC or preemption)`,
    );
    const pf = median(perFrameKey.map((t) => t.wall));
    const pfRatio = ratioOf(perFrameKey, rawAes, (t) => t.wall)!;
    log(
      `${''.padEnd(24)} raw AES-GCM with a key imported per seal and per open: ${pf.toFixed(1)} MiB/s, ` +
        `${pfRatio.toFixed(2)} of raw (diagnostic: the import's own cost here)`,
    );
  }
  return row;
}

/** Seal+open throughput per frame size and suite, channel against raw, paired trials. */
export async function measureThroughput(options: MeasureOptions): Promise<ThroughputRow[]> {
  const aesKey = await crypto.subtle.importKey('raw', randomBytes(32), 'AES-GCM', false, [
    'encrypt',
    'decrypt',
  ]);
  options.log(
    `seal+open throughput: medians over ${PAIRS} pairs of back-to-back ${TRIAL_MS} ms trials ` +
      '(channel vs baseline, order alternating); ratio = median of the per-pair ratios',
  );
  const rows: ThroughputRow[] = [];
  for (const size of FRAME_SIZES) {
    for (const suite of CIPHER_SUITES) rows.push(await measureSuite(suite, size, aesKey, options));
  }
  return rows;
}

/** Handshake time per key agreement and Argon2id time at the chosen parameters. */
export async function measureSetupCosts({ log }: MeasureOptions): Promise<void> {
  for (const keyAgreement of ['x25519', 'p521'] as const) {
    const times: number[] = [];
    for (let i = 0; i < 20; i++)
      times.push((await openChannelPair('aes-256-gcm', keyAgreement)).ms);
    log(
      `handshake ${keyAgreement.padEnd(6)} median ${median(times).toFixed(2)} ms (both sides, in-memory transport)`,
    );
  }
  const argonTimes: number[] = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    await argon2idRaw('correct horse battery staple', randomBytes(16), DEFAULT_ARGON2);
    argonTimes.push(performance.now() - started);
  }
  log(
    `argon2id m=${DEFAULT_ARGON2.memoryKiB} KiB t=${DEFAULT_ARGON2.iterations} p=${DEFAULT_ARGON2.parallelism}: median ${median(argonTimes).toFixed(0)} ms`,
  );
}

export function headlineRow(rows: readonly ThroughputRow[]): ThroughputRow {
  const row = rows.find((r) => r.suite === 'aes-256-gcm' && r.sizeKiB === 64);
  if (!row) throw new Error('no aes-256-gcm 64 KiB row was measured');
  return row;
}

/** `aes-256-gcm 64 KiB channel X MiB/s, raw Y MiB/s, ratio R` (after the `crypto:` prefix). */
export function headlineText(row: ThroughputRow): string {
  return `aes-256-gcm 64 KiB channel ${row.channel.toFixed(1)} MiB/s, raw ${row.rawAesGcm.toFixed(1)} MiB/s, ratio ${row.ratio.toFixed(2)}`;
}
