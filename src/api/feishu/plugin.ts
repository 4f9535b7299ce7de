import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { isStoreUnavailable } from '../../core/errors.js';
import type { Route } from '../route.js';
import { authenticateFeishu } from './authenticate.js';
import { authRoutes } from './auth/v3/index.js';
import { authenV1Routes } from './authen/v1/index.js';
import { authenV2Routes } from './authen/v2/index.js';
import { parseForm } from '../oauth/sign-in.js';
import { checkScopes } from './scopes.js';
import { calendarRoutes } from './calendar/v4/index.js';
import { driveRoutes } from './drive/v1/index.js';
import { UPLOAD_LIMIT_BYTES } from './drive/v1/media/uploadAll.js';
import { FEISHU_ERRORS, FeishuError, refusalOf } from './errors.js';
import { FEISHU_RATE_LIMITS } from './rate-limits.js';
import { scaled } from '../rate-limit.js';
import type { Refusal } from './errors.js';

/** Every Feishu endpoint rili serves with JSON bodies, each from the file its SDK method name points to (drive's are below). */
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
      ...(refusal.missingScopes ? { permission_violations: refusal.missingScopes.map((subject) => ({ type: 'action_scope_required', subject, description: 'one of these scopes is required' })) } : {}),
    };
  }
  return reply.code(refusal.status ?? entry.status).send(body);
}

/** Counts the request against Feishu's limits; past one, 429 with the gateway's headers. */
async function enforceFeishuLimits(ctx: AppContext, route: Route, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const actor = request.actor!;
  const method = `${route.method} ${route.url}`;
  const checks = FEISHU_RATE_LIMITS.map((rule) => ({
    key: rule.scope === 'app-method' ? `feishu|${actor.appId}|${method}` : rule.scope === 'app' ? `feishu|${actor.appId}` : `feishu|${actor.tenantKey}|${method}`,
    limits: scaled(rule.limits, ctx.rateLimit),
  }));
  const verdict = await ctx.limiter.take(checks, ctx.clock.now());
  if (!verdict.allowed) {
    reply.header('x-ogw-ratelimit-limit', String(verdict.limit));
    reply.header('x-ogw-ratelimit-reset', String(verdict.resetSeconds));
    throw new FeishuError(FEISHU_RATE_LIMITS[verdict.refusedBy!].code, `more than ${verdict.limit} requests; retry in ${verdict.resetSeconds} s`);
  }
}

/** The Feishu dialect, under `/open-apis`: its own envelope, error handler and 404. */
export async function feishuPlugin(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  app.setErrorHandler((error, request, reply) => {
    const refusal = refusalOf(error);
    if (refusal.code === 190003) request.log.error({ err: error }, 'unexpected error');
    else if (isStoreUnavailable(error)) request.log.warn({ err: error.cause }, error.message);
    return sendFeishuError(reply, request, refusal);
  });
  // The real gateway answers an unknown path or method with plain text, not JSON.
  app.setNotFoundHandler((_request, reply) => reply.code(404).type('text/plain; charset=utf-8').send('404 page not found'));

  const mount = (scope: FastifyInstance, route: Route) => {
    scope.route({
      method: route.method,
      url: route.url,
      schema: route.schema,
      // The token is checked before the parameters, as the gateway does.
      preValidation: route.auth === 'required'
        ? async (request) => {
          request.actor = await authenticateFeishu(request, ctx);
          checkScopes(route, request);
        }
        : undefined,
      preHandler: route.auth === 'required' && ctx.rateLimit !== 'off'
        ? async (request, reply) => { await enforceFeishuLimits(ctx, route, request, reply); }
        : undefined,
      handler: async (request, reply) => {
        const data = await route.handle(
          {
            params: request.params,
            query: request.query,
            body: (request.body ?? {}),
            headers: request.headers,
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
  };
  for (const route of feishuRoutes) mount(app, route);
  // Sign-in: the consent form and RFC 6749 token requests are form-encoded; only these routes parse forms.
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_request, body, done) => {
      done(null, parseForm(body as string));
    });
    for (const route of [...authenV1Routes, ...authenV2Routes]) mount(scope, route);
  });
  // Multipart parsing only where uploads are taken; the scope keeps this plugin's error and 404 handlers.
  await app.register(async (scope) => {
    await scope.register(multipart, { limits: { fileSize: UPLOAD_LIMIT_BYTES, files: 1, fields: 10, parts: 20 } });
    for (const route of driveRoutes) mount(scope, route);
  });
}
