import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.woff2': 'font/woff2',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
};

/**
 * Serves the built page from `dir`: `/` is `index.html`, hashed assets are cached for good.
 * Returns `null` for paths it does not serve, so the API can answer them.
 */
export function staticFiles(dir: string) {
  const root = normalize(dir);
  return async (request: Request): Promise<Response | null> => {
    if (request.method !== 'GET') return null;
    const { pathname } = new URL(request.url);
    if (pathname.startsWith('/api/') || pathname === '/webhook' || pathname === '/healthz') return null;
    const path = normalize(join(root, pathname === '/' ? 'index.html' : decodeURIComponent(pathname)));
    if (path !== root && !path.startsWith(root + sep)) return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(path);
      const immutable = pathname.startsWith('/assets/');
      return new Response(body, { headers: { 'content-type': types[extname(path)] ?? 'application/octet-stream', 'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache' } });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  };
}
