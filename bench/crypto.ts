// npm run bench:crypto — the secure channel against raw primitives, measured in the same
// run: seal+open throughput per suite and frame size, handshake time per key agreement,
// Argon2id time at the chosen parameters. Measured twice with the same code and method
// (crypto-measure.ts): in Node, and in headless Chromium inside a dedicated Web Worker,
// the runtime the product's channel actually uses. Last line is the headline figure, from
// Chromium (Node's just above it); without Chromium it falls back to Node's.
//
// `--only=node` or `--only=chromium` runs one of the two (for quicker iterations).
import { availableParallelism, loadavg } from 'node:os';
import { ChromiumMissingError, runInChromium } from './crypto-chromium';
import {
  headlineRow,
  headlineText,
  measureSetupCosts,
  measureThroughput,
  type MeasureOptions,
  type ThroughputRow,
} from './crypto-measure';

const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
if (only !== undefined && only !== 'node' && only !== 'chromium') {
  console.error('usage: tsx bench/crypto.ts [--only=node|--only=chromium]');
  process.exit(2);
}

// Other processes' load moves wall-clock figures a lot: say how busy the machine was.
const load = () => loadavg()[0]!.toFixed(1);

async function runInNode(): Promise<ThroughputRow[]> {
  console.log('== Node ' + process.versions.node + ' (main thread) ==');
  const options: MeasureOptions = {
    log: (line) => console.log(line),
    cpuSeconds: () => {
      const used = process.cpuUsage();
      return (used.user + used.system) / 1e6;
    },
  };
  const rows = await measureThroughput(options);
  console.log(`load average ${load()} after the throughput runs`);
  await measureSetupCosts(options);
  return rows;
}

/** Null when Chromium is not installed (the caller says so and falls back to Node). */
async function runChromium(): Promise<ThroughputRow[] | null> {
  console.log('== Chromium (headless, dedicated Web Worker) ==');
  try {
    const result = await runInChromium((line) => console.log(line));
    console.log(
      `(${result.userAgent.match(/Chrom(e|ium)\/[\d.]+/)?.[0] ?? result.userAgent}; ` +
        `cross-origin isolated: ${result.crossOriginIsolated}; no CPU clock in a browser, ` +
        `so wall-clock ratios only)`,
    );
    console.log(`load average ${load()} after the Chromium run`);
    return result.rows;
  } catch (error) {
    if (!(error instanceof ChromiumMissingError)) throw error;
    console.log(`${error.message}: no browser figures; the headline below is Node's`);
    return null;
  }
}

async function main() {
  console.log(`load average ${load()} on ${availableParallelism()} CPUs at start`);
  const nodeRows = only === 'chromium' ? null : await runInNode();
  const chromiumRows = only === 'node' ? null : await runChromium();
  if (nodeRows && chromiumRows)
    console.log(`crypto (node): ${headlineText(headlineRow(nodeRows))}`);
  const headline = chromiumRows ?? nodeRows;
  if (headline) console.log(`crypto: ${headlineText(headlineRow(headline))}`);
}

await main();
