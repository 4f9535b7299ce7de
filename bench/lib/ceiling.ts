import { createServer } from 'node:http';
import type { Server } from 'node:http';

/**
 * The ceiling: a bare node:http server answering a fixed JSON body of the given size. Whatever rili
 * does per request is measured against what Node itself costs for the same bytes on this machine.
 */
export async function startCeiling(port: number, bodyBytes: number): Promise<{ url: string; close(): Promise<void> }> {
  const body = JSON.stringify({ code: 0, msg: 'success', data: { pad: 'x'.repeat(Math.max(0, bodyBytes - 50)) } });
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}
