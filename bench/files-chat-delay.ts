// BENCH_CHANNEL_LOG diagnostics for bench:files: where each chat probe spent its time,
// from the per-channel send and arrival logs of both pages (one clock) and the probes'
// send times and latencies: before send() at the sender (signing, sealing, queueing),
// between the two data channels (SCTP, the network stack), and after arrival (opening,
// checking, storing, showing).
import { percentile } from './core-latency';

/** [ms since the fetch started, label, 'in' | 'out', bytes, bufferedAmount] */
export type ChannelEvent = [number, string, string, number, number];

/** Chat probes are larger than receipts and acks (a few hundred bytes vs about 120). */
const PROBE_MIN_BYTES = 400;

export function chatDelayLines(
  sent: ChannelEvent[],
  got: ChannelEvent[],
  probes: [number, number][],
): string[] {
  const out = sent.filter((e) => e[1] === 'secure' && e[2] === 'out');
  const arrived = got.filter((e) => e[1] === 'secure' && e[2] === 'in');
  // The secure channel is ordered: the n-th message out is the n-th in.
  const pairs = out
    .map((e, i): [ChannelEvent, ChannelEvent | undefined] => [e, arrived[i]])
    .filter(([e, g]) => g && e[3] >= PROBE_MIN_BYTES) as [ChannelEvent, ChannelEvent][];
  const parts: { before: number[]; between: number[]; after: number[] } = {
    before: [],
    between: [],
    after: [],
  };
  let next = 0;
  for (const [at, latency] of probes) {
    while (next < pairs.length && pairs[next]![0][0] < at - 1) next++;
    const pair = pairs[next];
    if (!pair) break;
    parts.before.push(pair[0][0] - at);
    parts.between.push(pair[1][0] - pair[0][0]);
    parts.after.push(at + latency - pair[1][0]);
  }
  return Object.entries(parts).map(([name, xs]) => {
    xs.sort((a, b) => a - b);
    const p = (q: number) => percentile(xs, q).toFixed(0);
    return `chat ${name} the data channels: p50 ${p(50)} ms, p90 ${p(90)} ms, p99 ${p(99)} ms`;
  });
}
