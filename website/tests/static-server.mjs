// A minimal static file server for a built Docusaurus site, bound to 127.0.0.1. It resolves
// `/a/b/` to `a/b/index.html` (the site is built with trailingSlash: true) and answers 404 with
// the site's 404.html, like a static host would.
import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
};

async function isFile(file) {
  try {
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

/**
 * Starts serving `root` on 127.0.0.1 at `port` (0 = any free port).
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export async function serveStatic(root, port = 0) {
  const base = path.resolve(root);
  const server = http.createServer(async (req, res) => {
    try {
      const { pathname } = new URL(req.url ?? '/', 'http://127.0.0.1');
      const rel = decodeURIComponent(pathname);
      let file = path.join(base, rel);
      if (file !== base && !file.startsWith(base + path.sep)) {
        res.writeHead(403).end('forbidden');
        return;
      }
      if (rel.endsWith('/')) file = path.join(file, 'index.html');
      else if (!(await isFile(file)) && (await isFile(path.join(file, 'index.html')))) {
        res.writeHead(301, { location: `${pathname}/` }).end();
        return;
      }
      if (await isFile(file)) {
        const body = await fs.readFile(file);
        const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
        res.writeHead(200, { 'content-type': type }).end(req.method === 'HEAD' ? undefined : body);
        return;
      }
      const notFound = path.join(base, '404.html');
      const body = (await isFile(notFound)) ? await fs.readFile(notFound) : 'not found';
      res.writeHead(404, { 'content-type': TYPES['.html'] }).end(body);
    } catch (err) {
      res.writeHead(500).end(String(err));
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
