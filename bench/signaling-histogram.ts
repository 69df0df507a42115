// A fixed-bucket latency histogram (50 µs buckets up to 2 s) that worker threads can
// fill cheaply and the parent can merge: percentiles without keeping every sample.
export const BUCKET_MS = 0.05;
const BUCKETS = Math.ceil(2_000 / BUCKET_MS) + 1;

export function newHistogram(): Uint32Array {
  return new Uint32Array(BUCKETS);
}

export function recordLatency(histogram: Uint32Array, ms: number): void {
  const index = Math.min(BUCKETS - 1, Math.max(0, Math.floor(ms / BUCKET_MS)));
  histogram[index]! += 1;
}

export function mergeHistograms(histograms: Uint32Array[]): Uint32Array {
  const merged = newHistogram();
  for (const h of histograms) for (let i = 0; i < BUCKETS; i += 1) merged[i]! += h[i]!;
  return merged;
}

/** The latency below which `fraction` of the samples fall (upper bucket edge), in ms. */
export function percentile(histogram: Uint32Array, fraction: number): number {
  let total = 0;
  for (const count of histogram) total += count;
  if (total === 0) return Number.NaN;
  const rank = Math.ceil(total * fraction);
  let seen = 0;
  for (let i = 0; i < histogram.length; i += 1) {
    seen += histogram[i]!;
    if (seen >= rank) return (i + 1) * BUCKET_MS;
  }
  return histogram.length * BUCKET_MS;
}
