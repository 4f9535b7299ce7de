import { once } from 'node:events';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../context.js';
import type { ChangeRecord } from '../../core/changes.js';
import type { Following } from '../../core/service/change-feed.js';
import { STREAM_EVENT_TYPES } from '../../sandbox/event-hub.js';
import type { StreamEvent, StreamEventType } from '../../sandbox/event-hub.js';
import { entryMatcher } from '../../sandbox/journal.js';
import type { JournalEntry } from '../../sandbox/journal.js';
import type { Sandbox } from '../../sandbox/sandbox.js';
import { JournalFilterQuery, filterOf } from './requests.js';

const HEARTBEAT_MS = 15_000;

/** One SSE message: `event` is the type, `id` `<type>-<id>`, `data` one line of JSON. */
export const sseMessage = (event: StreamEvent): string => `event: ${event.type}\nid: ${event.type}-${event.id}\ndata: ${JSON.stringify(event.data)}\n\n`;

/** A change-log record on the stream: the record's own fields, snake_case as the admin API writes them. */
export const changeToWire = (r: ChangeRecord) => ({
  seq: r.seq,
  at_ms: r.at,
  tenant_key: r.tenantKey,
  ...(r.appId !== undefined ? { app_id: r.appId } : {}),
  ...(r.userId !== undefined ? { user_id: r.userId } : {}),
  ...(r.calendarId !== undefined ? { calendar_id: r.calendarId } : {}),
  object: r.object,
  object_id: r.objectId,
  ...(r.uid !== undefined ? { uid: r.uid } : {}),
  ...(r.instanceStart ? { instance_start: r.instanceStart } : {}),
  kind: r.kind,
  audience: r.audience,
});

/**
 * `GET /stream`: Server-Sent Events of requests as they are answered, change-log records as they
 * commit and push deliveries as they are recorded and attempted. `types` picks event types; the
 * journal filters apply to requests; `after=<seq>` first replays the journal's matching requests after
 * that seq and `change_after=<seq>` the change log's records after that seq, so a test that noted a
 * position cannot miss what happened since. Without `change_after`, changes start at the log's end
 * when the stream opens: the answer's head is sent only once that position is known, so a write made
 * after the head arrived is on the stream.
 */
export async function streamRoutes(app: FastifyInstance, opts: { sandbox: Sandbox; ctx: AppContext }): Promise<void> {
  const { hub, shared } = opts.sandbox;
  const { changeFeed } = opts.ctx;
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
        change_after: Type.Optional(Type.Integer({ minimum: 0, description: 'first replay the change log after this seq (from the log\'s end otherwise)' })),
      }),
    },
  }, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const types = new Set((typeof query.types === 'string' ? query.types.split(',') : STREAM_EVENT_TYPES) as StreamEventType[]);
    const filter = filterOf(query);
    const matches = entryMatcher({ ...filter, after: undefined });
    // Read before the head is sent: a store that is away answers 503 in the sandbox's envelope.
    const changesFrom = types.has('change') ? (query.change_after as number | undefined) ?? (await changeFeed.position()) : undefined;
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
    // Each stream follows the log itself, one page at a time: a slow reader holds its own page only.
    let following: Following | undefined;
    const close = () => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      unsubscribe();
      void following?.stop();
      open.delete(close);
      res.end();
    };
    if (changesFrom !== undefined) {
      following = changeFeed.follow(changesFrom, async (page) => {
        for (const record of page) {
          if (closed) return;
          if (!res.write(sseMessage({ type: 'change', id: record.seq, data: changeToWire(record) }))) {
            await Promise.race([once(res, 'drain'), once(res, 'close')]);
          }
        }
      });
      following.done.catch((error: unknown) => {
        if (closed) return;
        // The log was pruned past the position (or the store failed for good): say so, then end.
        const e = error as { kind?: string; message?: string };
        res.write(`event: error\ndata: ${JSON.stringify({ code: e.kind ?? 'internal', message: e.message ?? String(error) })}\n\n`);
        close();
      });
    }
    open.add(close);
    res.on('close', close);
    if (request.raw.socket?.destroyed) close();
  });
}
