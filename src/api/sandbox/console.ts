import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';

/** The console's own files, shipped beside the sources (src/console), read relative to this module. */
const CONSOLE_DIR = fileURLToPath(new URL('../../console/', import.meta.url));

/**
 * FullCalendar's standard bundle (MIT), served from node_modules so the console works offline. Its
 * package exports only its modules, so the file is found beside its package.json.
 */
const fullCalendarFile = (): string => join(dirname(createRequire(import.meta.url).resolve('fullcalendar/package.json')), 'index.global.min.js');

const ASSETS: Record<string, { readonly path: () => string; readonly type: string }> = {
  'console.js': { path: () => join(CONSOLE_DIR, 'console.js'), type: 'text/javascript; charset=utf-8' },
  'console.css': { path: () => join(CONSOLE_DIR, 'console.css'), type: 'text/css; charset=utf-8' },
  'fullcalendar.js': { path: fullCalendarFile, type: 'text/javascript; charset=utf-8' },
};

/** FullCalendar injects its stylesheet as a <style> element: styles may be inline, scripts may not. */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** GET or HEAD of the console's page or assets: not secret, so with --admin-token they load without it (the API calls need it). */
export function isConsolePage(method: string, url: string): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  const path = url.split('?', 1)[0];
  return path === '/rili' || path === '/rili/' || /^\/rili\/assets\/[\w.-]+$/.test(path);
}

const send = (reply: FastifyReply, type: string, body: Buffer) => reply
  .header('content-type', type)
  .header('cache-control', 'no-cache')
  .header('content-security-policy', CSP)
  .header('x-content-type-options', 'nosniff')
  .header('x-frame-options', 'DENY')
  .header('referrer-policy', 'no-referrer')
  .send(body);

/** The sandbox console at `/rili/`: one page of plain JS and CSS over the admin API, no build step. */
export async function consolePlugin(app: FastifyInstance): Promise<void> {
  // Read once, on first use: a process that never opens the console never reads them.
  const cache = new Map<string, Promise<Buffer>>();
  const load = (key: string, path: () => string) => {
    let file = cache.get(key);
    if (!file) {
      file = readFile(path());
      file.catch(() => cache.delete(key));
      cache.set(key, file);
    }
    return file;
  };

  app.get('', (_request, reply) => reply.redirect('/rili/'));
  app.get('/', { prefixTrailingSlash: 'slash' }, async (_request, reply) => send(reply, 'text/html; charset=utf-8', await load('index.html', () => join(CONSOLE_DIR, 'index.html'))));
  app.get('/assets/:name', { schema: { params: Type.Object({ name: Type.String({ maxLength: 64 }) }) } }, async (request, reply) => {
    const { name } = request.params as { name: string };
    const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
    if (!asset) return reply.code(404).type('text/plain; charset=utf-8').send('404 page not found');
    return send(reply, asset.type, await load(name, asset.path));
  });
}
