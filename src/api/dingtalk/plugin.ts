import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import type { Route } from '../route.js';
import { authenticateDingtalk } from './authenticate.js';
import { DINGTALK_ERRORS, refusalOf } from './errors.js';
import type { DingtalkCode } from './errors.js';
import { getAccessToken } from './oauth2/getAccessToken.js';

/** Every DingTalk endpoint rili serves. */
export const dingtalkRoutes: readonly Route[] = [getAccessToken];

/** Sends DingTalk's error body: `{code, message, requestid}`, always JSON (the SDK cannot parse anything else). */
export function sendDingtalkError(reply: FastifyReply, request: FastifyRequest, refusal: { code: DingtalkCode; message?: string; status?: number }): FastifyReply {
  const entry = DINGTALK_ERRORS[refusal.code];
  return reply.code(refusal.status ?? entry.status).send({ code: refusal.code, message: refusal.message ?? entry.message, requestid: request.id });
}

/** The DingTalk dialect, under `/v1.0`: its own error body and 404. */
export async function dingtalkPlugin(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  app.setErrorHandler((error, request, reply) => {
    const refusal = refusalOf(error);
    if (refusal.code === 'internalError') request.log.error({ err: error }, 'unexpected error');
    return sendDingtalkError(reply, request, refusal);
  });
  app.setNotFoundHandler((request, reply) => sendDingtalkError(reply, request, { code: 'resourceNotFound', message: `${request.method} ${request.url} does not exist` }));
  for (const route of dingtalkRoutes) {
    app.route({
      method: route.method,
      url: route.url,
      schema: route.schema,
      preValidation: route.auth === 'required'
        ? async (request) => { request.actor = await authenticateDingtalk(request, ctx); }
        : undefined,
      handler: async (request, reply) => {
        const data = await route.handle(
          { params: request.params as never, query: request.query as never, body: (request.body ?? {}) as never, headers: request.headers as never, actor: request.actor!, request, reply },
          ctx,
        );
        if (reply.sent) return reply;
        // Every success of a JSON operation is a JSON object, never empty: the SDK asserts it.
        return data ?? {};
      },
    });
  }
}
