import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { STREAM_EVENT_TYPES } from '../../sandbox/event-hub.js';
import type { StreamEvent, StreamEventType } from '../../sandbox/event-hub.js';
import { entryMatcher } from '../../sandbox/journal.js';
import type { JournalEntry } from '../../sandbox/journal.js';
import type { Sandbox } from '../../sandbox/sandbox.js';
import { JournalFilterQuery, filterOf } from './requests.js';

const HEARTBEAT_MS = 15_000;

/** One SSE message: `event` is the type, `id` `<type>-<id>`, `data` one line of JSON. */
export const sseMessage = (event: StreamEvent): string => `event: ${event.type}\nid: ${event.type}-${event.id}\ndata: ${JSON.stringify(event.data)}\n\n`;

/**
 * `GET /stream`: Server-Sent Events of requests as they are answered (and, as their producers publish
 * them, change-log records and push deliveries). `types` picks event types; the journal filters apply
 * to requests; `after=<seq>` first replays the journal's matching requests after that seq, so a test
 * that noted a seq cannot miss what happened since.
 */
export async function streamRoutes(app: FastifyInstance, opts: { sandbox: Sandbox }): Promise<void> {
  const { hub, shared } = opts.sandbox;
  const open = new Set<() => void>();
  // app.close() waits for every connection: end the streams first.
  app.addHook('preClose', (done) => {
    for (const close of open) close();
    done();
  });

  app.get('/stream', {
    schema: {
      querystring: Type.Object({
        ...JournalFilterQuery,
        types: Type.Optional(Type.String({ pattern: `^(${STREAM_EVENT_TYPES.join('|')})(,(${STREAM_EVENT_TYPES.join('|')}))*$`, description: 'comma-separated event types (all)' })),
      }),
    },
  }, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const types = new Set((typeof query.types === 'string' ? query.types.split(',') : STREAM_EVENT_TYPES) as StreamEventType[]);
    const filter = filterOf(query);
    const matches = entryMatcher({ ...filter, after: undefined });
    // What is published until the head is sent and the replay written waits here. With --workers the
    // head waits until every worker forwards here: what another worker serves after it arrived is on it.
    let held: StreamEvent[] | undefined = [];
    const unsubscribe = await hub.subscribeEverywhere((event) => (held ? held.push(event) : send(event)));
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-request-id': request.id,
    });
    res.write(': rili live stream\n\n');
    /** Replayed requests, so one published meanwhile is not sent twice. */
    const replayed = new Set<number>();
    const send = (event: StreamEvent) => {
      if (!types.has(event.type)) return;
      if (event.type === 'request') {
        const entry = event.data as JournalEntry;
        if (replayed.has(entry.seq) || !matches(entry)) return;
      }
      res.write(sseMessage(event));
    };
    if (filter.after !== undefined && types.has('request')) {
      for (const entry of (await shared.listRequests(filter, undefined, { whole: true })).requests) {
        replayed.add(entry.seq);
        res.write(sseMessage({ type: 'request', id: entry.seq, data: entry }));
      }
    }
    for (const event of held) send(event);
    held = undefined;
    replayed.clear();
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS).unref();
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      unsubscribe();
      open.delete(close);
      res.end();
    };
    open.add(close);
    res.on('close', close);
    if (request.raw.socket?.destroyed) close();
  });
}
