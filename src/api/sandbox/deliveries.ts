import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../context.js';
import type { Delivery } from '../../core/push/deliveries.js';
import { refuse } from './reply.js';

const DeliveryQuery = Type.Object({
  app_id: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  event_type: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')])),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, description: 'at most this many, newest first (50)' })),
  before: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'the id of the last delivery of the previous page' })),
});

/** A delivery as the log shows it: the event, what the last attempt sent and what came back. */
export function deliveryToWire(d: Delivery) {
  const a = d.lastAttempt;
  return {
    id: d.id,
    app_id: d.appId,
    tenant_key: d.tenantKey,
    event_id: d.eventId,
    event_type: d.eventType,
    change_seq: d.seq,
    status: d.status,
    attempts: d.attempts,
    created_at: d.createdAt,
    ...(d.status === 'pending' ? { next_attempt_at: d.nextAt } : {}),
    // Feishu's 3-second merge: until when the push waits for more changes to its event, and how many it stands for.
    ...(d.merge ? { merge: { window_ends_at: d.merge.until, changes: d.merge.intent.merged ?? 1 } } : {}),
    event: JSON.parse(d.body) as unknown,
    last_attempt: a === undefined ? null : {
      at: a.at,
      // How it went: an HTTP POST to the request URL, or a frame on the app's long connection.
      mode: a.mode ?? 'http',
      latency_ms: a.latencyMs,
      request: { url: a.url, headers: a.requestHeaders, body: a.requestBody },
      answer: a.status === undefined ? null : { status: a.status, body: a.responseBody ?? '' },
      ...(a.note !== undefined ? { note: a.note } : {}),
    },
  };
}

/** `GET /deliveries` (the push delivery log) and `POST /deliveries/{id}/redeliver`. */
export async function deliveryRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  app.get('/deliveries', { schema: { querystring: DeliveryQuery } }, async (request) => {
    const q = request.query as { app_id?: string; event_type?: string; status?: Delivery['status']; limit?: number; before?: string };
    const limit = q.limit ?? 50;
    const page = await ctx.push.list({
      limit: limit + 1,
      ...(q.app_id !== undefined ? { appId: q.app_id } : {}),
      ...(q.event_type !== undefined ? { eventType: q.event_type } : {}),
      ...(q.status !== undefined ? { status: q.status } : {}),
      ...(q.before !== undefined ? { beforeId: q.before } : {}),
    });
    const items = page.slice(0, limit);
    return { deliveries: items.map(deliveryToWire), has_more: page.length > limit, ...(page.length > limit ? { next_before: items[items.length - 1].id } : {}) };
  });

  app.post('/deliveries/:id/redeliver', { schema: { params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 255 }) }) } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    if (!(await ctx.push.redeliver(id))) return refuse(reply, 404, 'delivery_not_found', `no delivery ${id}`);
    const again = await ctx.push.get(id);
    return reply.code(202).send(deliveryToWire(again!));
  });
}
