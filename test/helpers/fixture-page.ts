// A fixture page (index.html + its modules and workers) built by Vite into a temporary
// directory and served on loopback by Vite's preview server: how e2e tests and benches
// run one piece of client code in a real browser without the whole app.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, preview } from 'vite';

export interface FixturePage {
  /** http://127.0.0.1:PORT/ */
  readonly url: string;
  /** Stops the server and deletes the build. */
  close(): Promise<void>;
}

export async function serveFixture(
  root: string,
  options: { headers?: Record<string, string> } = {},
): Promise<FixturePage> {
  const outDir = await mkdtemp(join(tmpdir(), 'fixture-page-'));
  const config = {
    root,
    configFile: false as const,
    logLevel: 'warn' as const,
    build: { outDir, emptyOutDir: true, target: 'es2022' },
    worker: { format: 'es' as const },
  };
  try {
    await build(config);
    const server = await preview({
      ...config,
      preview: { host: '127.0.0.1', port: 0, strictPort: false, headers: options.headers ?? {} },
    });
    const address = server.httpServer.address();
    if (!address || typeof address === 'string') {
      await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
      throw new Error('The preview server has no port.');
    }
    return {
      url: `http://127.0.0.1:${address.port}/`,
      async close() {
        await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
        await rm(outDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(outDir, { recursive: true, force: true });
    throw error;
  }
}
