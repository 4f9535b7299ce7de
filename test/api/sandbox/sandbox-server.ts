import { seedFromJson } from '../../../src/seed.js';
import { buildServer } from '../../../src/server.js';
import type { Server } from '../../../src/server.js';
import type { SandboxConfig } from '../../../src/sandbox/sandbox.js';
import type { StoreKind } from '../../../src/store/open-store.js';
import { TEST_SECRET, TestClock } from '../../helpers/server.js';
import { TEST_SEED } from '../../helpers/seed.js';
import { freshLocation } from '../../helpers/stores.js';

export interface SandboxTestServer {
  readonly url: string;
  readonly server: Server;
  readonly clock: TestClock;
  /** fetch against the server, JSON in and out. */
  call(method: string, path: string, options?: { body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

/** rili over TEST_SEED with the given sandbox settings (test/helpers/server.ts takes none). */
export async function startSandboxServer(kind: StoreKind, sandbox: SandboxConfig = {}): Promise<SandboxTestServer> {
  const fresh = await freshLocation(kind);
  const clock = new TestClock();
  const server = await buildServer({ db: fresh.location, secret: TEST_SECRET, logLevel: process.env.RILI_TEST_LOG ?? 'silent', sandbox }, { clock });
  await server.ctx.directory.applySeed(seedFromJson(TEST_SEED));
  const url = await server.app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    server,
    clock,
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${url}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: kept as text
      }
      return { status: res.status, body, headers: res.headers };
    },
    async close() {
      await server.close();
      await fresh.drop();
    },
  };
}

/** Reads a Server-Sent Events response until `wanted` accepts an event; then stops reading. */
export async function readEventsUntil(res: Response, wanted: (event: { event: string; id: string; data: any }) => boolean): Promise<{ event: string; id: string; data: any }[]> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const seen: { event: string; id: string; data: any }[] = [];
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`stream ended before the wanted event; saw ${JSON.stringify(seen.map((e) => e.event + ' ' + e.id))}`);
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields: Record<string, string> = {};
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          fields[line.slice(0, colon)] = line.slice(colon + 1).trimStart();
        }
        if (!fields.event) continue;
        const event = { event: fields.event, id: fields.id, data: JSON.parse(fields.data) };
        seen.push(event);
        if (wanted(event)) return seen;
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}
