import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { isStoreUnavailable } from '../../core/errors.js';
import { principalOf } from '../../core/types.js';
import type { Route } from '../route.js';
import { authenticateDingtalk } from './authenticate.js';
import { calendarRoutes, clientTokenRoutes, eventBodyRoutes } from './calendar/index.js';
import { ClientTokens, requestHash } from './client-token.js';
import { DINGTALK_ERRORS, DINGTALK_MESSAGES, DingtalkError, notFoundRefusal, refusalOf } from './errors.js';
import type { DingtalkCode } from './errors.js';
import { getUser } from './contact/getUser.js';
import { getAccessToken } from './oauth2/getAccessToken.js';
import { getUserToken } from './oauth2/getUserToken.js';
import { DINGTALK_RATE_LIMITS } from './rate-limits.js';
import { scaled } from '../rate-limit.js';

/** Every DingTalk endpoint rili serves. */
export const dingtalkRoutes: readonly Route[] = [getAccessToken, getUserToken, getUser, ...calendarRoutes];

/** Sends DingTalk's error body: `{code, message, requestid}`, always JSON (the SDK cannot parse anything else). */
export function sendDingtalkError(reply: FastifyReply, request: FastifyRequest, refusal: { code: DingtalkCode; message?: string; status?: number }): FastifyReply {
  const entry = DINGTALK_ERRORS[refusal.code];
  return reply.code(refusal.status ?? entry.status).send({ code: refusal.code, message: refusal.message ?? entry.message, requestid: request.id });
}

const isEmptyBody = (body: unknown): boolean =>
  body === undefined || body === null || typeof body !== 'object' || Array.isArray(body) || Object.keys(body).length === 0;

/** Counts the request against DingTalk's per-app limits. */
async function enforceDingtalkLimits(ctx: AppContext, route: Route, request: FastifyRequest): Promise<void> {
  const { appId } = request.actor!;
  const checks = DINGTALK_RATE_LIMITS.map((rule) => ({
    key: rule.scope === 'app-api' ? `dingtalk|${appId}|${route.method} ${route.url}` : `dingtalk|${appId}`,
    limits: scaled(rule.limits, ctx.rateLimit),
  }));
  const verdict = await ctx.limiter.take(checks, ctx.clock.now());
  if (!verdict.allowed) {
    throw new DingtalkError(DINGTALK_RATE_LIMITS[verdict.refusedBy!].code, `more than ${verdict.limit} calls a second to this API; retry in ${verdict.resetSeconds} s`);
  }
}

/** The DingTalk dialect, under `/v1.0`: its own error body and 404. */
export async function dingtalkPlugin(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  const clientTokens = new ClientTokens(ctx);
  app.setErrorHandler((error, request, reply) => {
    const refusal = refusalOf(error, request.routeOptions.config as { eventBody?: boolean });
    if (refusal.code === 'internalError') request.log.error({ err: error }, 'unexpected error');
    else if (isStoreUnavailable(error)) request.log.warn({ err: error.cause }, error.message);
    return sendDingtalkError(reply, request, refusal);
  });
  app.setNotFoundHandler((request, reply) => sendDingtalkError(reply, request, notFoundRefusal(request.method, request.url)));
  for (const route of dingtalkRoutes) {
    const eventBody = eventBodyRoutes.has(route);
    const idempotent = clientTokenRoutes.has(route);
    app.route({
      method: route.method,
      url: route.url,
      schema: route.schema,
      config: { eventBody },
      preValidation: route.auth === 'required'
        ? async (request) => {
          // The token first, as the gateway checks it; then whether there is an event at all.
          request.actor = await authenticateDingtalk(request, ctx);
          if (eventBody && isEmptyBody(request.body)) throw new DingtalkError('invalidParameter', DINGTALK_MESSAGES.eventMissing);
        }
        : undefined,
      preHandler: route.auth === 'required' && ctx.rateLimit !== 'off'
        ? async (request) => { await enforceDingtalkLimits(ctx, route, request); }
        : undefined,
      handler: async (request, reply) => {
        const run = async () => {
          const data = await route.handle(
            { params: request.params, query: request.query, body: (request.body ?? {}), headers: request.headers, actor: request.actor!, request, reply },
            ctx,
          );
          // Every success of a JSON operation is a JSON object, never empty: the SDK asserts it.
          return data ?? {};
        };
        const token = request.headers['x-client-token'];
        if (!idempotent || typeof token !== 'string' || token === '') return run();
        const hash = requestHash({ principal: principalOf(request.actor!), method: request.method, url: request.url, body: request.body });
        const outcome = await clientTokens.claim(request.actor!.appId, token, hash);
        const logFailure = (what: string) => (e: unknown) => request.log.error({ err: e }, `x-client-token ${what} failed`);
        if (outcome.kind === 'replay') return reply.code(outcome.status).type('application/json; charset=utf-8').send(outcome.body);
        let data: unknown;
        try {
          data = await run();
        } catch (error) {
          // Were the release to fail for good, the claim would be taken over once abandoned; the refusal still goes out.
          await clientTokens.release(outcome.claim, logFailure('release')).catch(logFailure('release'));
          throw error;
        }
        await clientTokens.finish(outcome.claim, 200, JSON.stringify(data), logFailure('record'));
        return data;
      },
    });
  }
}
