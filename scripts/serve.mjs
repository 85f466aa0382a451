// A static server for www/ on the loopback address only, with the page's Content-Security-Policy
// also sent as a header and `application/wasm` for streaming compilation. Used by `make serve`
// and by the browser tests.
//   node scripts/serve.mjs [port]      (default 8080)
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const WWW_ROOT = resolve(fileURLToPath(new URL('../www', import.meta.url)));

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ts': 'text/plain; charset=utf-8',
};

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Serves `root` on 127.0.0.1:`port` (0 picks a free port); resolves to `{ server, url }`. */
export function startServer({ root = WWW_ROOT, port = 8080 } = {}) {
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    if (file !== root && !file.startsWith(root + sep)) {
      response.writeHead(403).end('Forbidden');
      return;
    }
    try {
      // A validator, as static hosts send one: the browser revalidates (no-cache) without the
      // body, and the page's service worker stores a file again only when it changed.
      const { size, mtimeMs } = await stat(file);
      const tag = `W/"${size.toString(16)}-${Math.floor(mtimeMs).toString(16)}"`;
      if (request.headers['if-none-match'] === tag) {
        response.writeHead(304, { ETag: tag, 'Cache-Control': 'no-cache' }).end();
        return;
      }
      const body = await readFile(file);
      response.writeHead(200, {
        ETag: tag,
        'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-cache',
      });
      response.end(body);
    } catch {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
    }
  });
  return new Promise((resolveStart, rejectStart) => {
    server.once('error', rejectStart);
    server.listen(port, '127.0.0.1', () => {
      resolveStart({ server, url: `http://127.0.0.1:${server.address().port}/` });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const port = Number(process.argv[2] ?? 8080);
  const { url } = await startServer({ port });
  console.log(`slacalc is served at ${url} (sample data loads on open; Ctrl+C stops)`);
}
