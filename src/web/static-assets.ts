import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Hono } from 'hono';
import type { AppEnv } from '../api/app-env.ts';

const OWN_ASSETS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets');
const SWAGGER_UI = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
};

/** Every file served under /assets/: a fixed list, so no path from a request ever reaches the file system. */
const ASSETS: Record<string, string> = {
  'app.js': path.join(OWN_ASSETS, 'app.js'),
  'style.css': path.join(OWN_ASSETS, 'style.css'),
  'docs-init.js': path.join(OWN_ASSETS, 'docs-init.js'),
  'docs.css': path.join(OWN_ASSETS, 'docs.css'),
  'swagger-ui.css': path.join(SWAGGER_UI, 'swagger-ui.css'),
  'swagger-ui-bundle.js': path.join(SWAGGER_UI, 'swagger-ui-bundle.js'),
  'favicon.png': path.join(SWAGGER_UI, 'favicon-32x32.png'),
};

/** Serves the pages' own script and style and Swagger UI's files from the installed package: no CDN. */
export function registerStaticAssets(app: Hono<AppEnv>) {
  const cache = new Map<string, Promise<Buffer>>();
  app.get('/assets/:file', async (c, next) => {
    const file = c.req.param('file');
    const source = Object.hasOwn(ASSETS, file) ? ASSETS[file] : undefined;
    if (!source) return next();
    let bytes = cache.get(file);
    if (!bytes) {
      bytes = readFile(source);
      cache.set(file, bytes);
    }
    return c.body(new Uint8Array(await bytes), 200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': 'public, max-age=3600',
      'x-content-type-options': 'nosniff',
    });
  });
}
