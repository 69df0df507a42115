// Serves the built client (dist/) with an SPA fallback: /r/ROOM and other client
// routes get index.html; /api and /signal never do.
import { existsSync } from 'node:fs';
import path from 'node:path';
import express from 'express';
import type { RequestHandler } from 'express';
import type { Logger } from '../logger';

export function staticClient(staticDir: string | null, logger: Logger): RequestHandler[] {
  if (!staticDir) return [];
  const index = path.join(staticDir, 'index.html');
  if (!existsSync(index)) {
    logger.warn({ staticDir }, 'no built client found; run `npm run build` (serving the API only)');
    return [];
  }
  return [
    express.static(staticDir, {
      index: 'index.html',
      setHeaders(res, filePath) {
        // Vite's hashed assets never change; everything else (index.html, sw.js) must
        // be revalidated so updates reach people.
        res.setHeader(
          'Cache-Control',
          filePath.includes(`${path.sep}assets${path.sep}`)
            ? 'public, max-age=31536000, immutable'
            : 'no-cache',
        );
      },
    }),
    (req, res, next) => {
      const isPageRequest =
        (req.method === 'GET' || req.method === 'HEAD') &&
        !req.path.startsWith('/api/') &&
        req.path !== '/signal' &&
        !path.extname(req.path);
      if (!isPageRequest) {
        next();
        return;
      }
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(index);
    },
  ];
}
