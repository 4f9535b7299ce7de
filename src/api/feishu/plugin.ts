import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import type { Route } from '../route.js';
import { authenticateFeishu } from './authenticate.js';
import { authRoutes } from './auth/v3/index.js';
import { calendarRoutes } from './calendar/v4/index.js';
import { FEISHU_ERRORS, refusalOf } from './errors.js';
import type { Refusal } from './errors.js';

/** Every Feishu endpoint rili serves, each from the file its SDK method name points to. */
export const feishuRoutes: readonly Route[] = [...authRoutes, ...calendarRoutes];

function troubleshooter(logId: string, code: number): string {
  return `排查建议查看(Troubleshooting suggestions): https://open.feishu.cn/search?from=openapi&log_id=${logId}&code=${code}&method_id=0`;
}

/** Sends a Feishu error envelope. */
export function sendFeishuError(reply: FastifyReply, request: FastifyRequest, refusal: Refusal): FastifyReply {
  const entry = FEISHU_ERRORS[refusal.code];
  const body: Record<string, unknown> = {
    code: refusal.code,
    msg: !refusal.detail || refusal.detail === entry.msg ? entry.msg : refusal.detail.startsWith(entry.msg) ? refusal.detail : `${entry.msg}: ${refusal.detail}`,
  };
  if (refusal.code === 10003) {
    body.data = {};
  } else {
    body.error = {
      log_id: request.id,
      troubleshooter: troubleshooter(request.id, refusal.code),
      ...(refusal.field ? { field_violations: [{ field: refusal.field, description: refusal.detail ?? entry.msg }] } : {}),
    };
  }
  return reply.code(refusal.status ?? entry.status).send(body);
}

/** The Feishu dialect, under `/open-apis`: its own envelope, error handler and 404. */
export async function feishuPlugin(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  app.setErrorHandler((error, request, reply) => {
    const refusal = refusalOf(error);
    if (refusal.code === 190003) request.log.error({ err: error }, 'unexpected error');
    return sendFeishuError(reply, request, refusal);
  });
  // The real gateway answers an unknown path or method with plain text, not JSON.
  app.setNotFoundHandler((_request, reply) => reply.code(404).type('text/plain; charset=utf-8').send('404 page not found'));

  for (const route of feishuRoutes) {
    app.route({
      method: route.method,
      url: route.url,
      schema: route.schema,
      // The token is checked before the parameters, as the gateway does.
      preValidation: route.auth === 'required'
        ? async (request) => { request.actor = await authenticateFeishu(request, ctx); }
        : undefined,
      handler: async (request, reply) => {
        const data = await route.handle(
          {
            params: request.params as never,
            query: request.query as never,
            body: (request.body ?? {}) as never,
            headers: request.headers as never,
            actor: request.actor!,
            request,
            reply,
          },
          ctx,
        );
        if (reply.sent) return reply;
        return route.envelope === 'raw' ? data : { code: 0, msg: 'success', data };
      },
    });
  }
}
