// The e2e suite tests the app as built. `npm run test:all` has just built dist/ and says so
// (E2E_APP_DIST); any other run builds a private copy, so parallel runs never share files.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Absolute path of the built PWA (index.html, sw.js, assets). */
    appDist: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const prebuilt = process.env.E2E_APP_DIST;
  if (prebuilt) {
    project.provide('appDist', path.resolve(prebuilt));
    return async () => undefined;
  }
  const outDir = await mkdtemp(path.join(tmpdir(), 'app-e2e-'));
  await build({
    configFile: path.resolve('vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
  project.provide('appDist', outDir);
  return () => rm(outDir, { recursive: true, force: true });
}
