// Builds what bench:history serves: the app exactly as `npm run build` makes it, plus the
// seeding page (history-seed-page.ts) as /bench-seed.html on the same origin, so it can
// write the app's own IndexedDB through the app's own storage code.
import { cp, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const REPO = path.resolve(import.meta.dirname, '..');

/** `prebuilt`: an app already built (BENCH_HISTORY_APP_DIST), copied instead of building. */
export async function buildBenchApp(outDir: string, prebuilt?: string): Promise<void> {
  if (prebuilt) {
    await cp(prebuilt, outDir, { recursive: true });
  } else {
    await build({
      configFile: path.join(REPO, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
    });
  }
  await build({
    configFile: false,
    root: REPO,
    publicDir: false,
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: false,
      target: 'es2022',
      assetsDir: 'bench-assets',
      rollupOptions: {
        input: path.join(REPO, 'bench/history-seed-page.ts'),
        output: { entryFileNames: 'bench-seed.js' },
      },
    },
    worker: { format: 'es' },
  });
  await writeFile(
    path.join(outDir, 'bench-seed.html'),
    '<!doctype html>\n<title>history bench</title>\n<script type="module" src="/bench-seed.js"></script>\n',
  );
}

export interface ShellSize {
  /** gzip bytes of the JS index.html loads: its module script and every modulepreload. */
  pageGzip: number;
  files: string[];
}

/** The app shell's initial JS, as a browser fetches it for index.html. */
export async function shellSize(outDir: string): Promise<ShellSize> {
  const html = await readFile(path.join(outDir, 'index.html'), 'utf8');
  const sources = [
    ...html.matchAll(/<script[^>]*\bsrc="([^"]+\.js)"/g),
    ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+\.js)"/g),
  ].map((match) => match[1]!);
  const files = [...new Set(sources)];
  return { pageGzip: await gzipBytes(outDir, files), files };
}

/** gzip bytes of built files, by their URL paths (e.g. /assets/index-abc.js). */
export async function gzipBytes(outDir: string, paths: readonly string[]): Promise<number> {
  let total = 0;
  for (const file of paths) total += gzipSync(await readFile(path.join(outDir, file))).length;
  return total;
}

/** gzip bytes of the crypto worker the app starts at once (off the main thread). */
export async function workerSize(outDir: string): Promise<number> {
  const assets = path.join(outDir, 'assets');
  const workers = (await readdir(assets)).filter((name) => /^crypto\.worker.*\.js$/.test(name));
  let total = 0;
  for (const name of workers) total += gzipSync(await readFile(path.join(assets, name))).length;
  return total;
}
