import { createServer } from 'node:http';
import type { Server } from 'node:http';

/**
 * The ceiling: a bare node:http server answering a fixed JSON body of exactly `bodyBytes` bytes (the
 * size of the rili answer it stands beside) and starting like a Feishu success, `{"code":0`. Request
 * bodies are read and discarded, as rili must read them. Whatever rili does per request is measured
 * against what Node itself costs for the same bytes on this machine, in the same run.
 */
export function ceilingBody(bodyBytes: number): string {
  const shell = JSON.stringify({ code: 0, msg: 'success', data: { pad: '' } });
  return JSON.stringify({ code: 0, msg: 'success', data: { pad: 'x'.repeat(Math.max(0, bodyBytes - shell.length)) } });
}

export async function startExactCeiling(port: number, bodyBytes: number): Promise<{ url: string; close(): Promise<void> }> {
  const body = ceilingBody(bodyBytes);
  const length = Buffer.byteLength(body);
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': length });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 72_000;
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((r) => { server.close(() => r()); server.closeAllConnections(); }),
  };
}
