import type { FastifyError, FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../context.js';
import { DomainError, isStoreUnavailable } from '../../core/errors.js';
import type { Sandbox } from '../../sandbox/sandbox.js';
import { describeValidation } from '../validators.js';
import { resetRoutes } from './reset.js';
import { appEventRoutes } from './app-events.js';
import { caldavCredentialRoutes } from './caldav.js';
import { deliveryRoutes, deliveryToWire } from './deliveries.js';
import { directoryRoutes } from './directory.js';
import { sandboxRoutes } from './routes.js';
import { snapshotRoutes } from './snapshots.js';

/** Sandbox errors: plain `{error: {code, message}}`; the sandbox has no platform to imitate. */
class SandboxError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

const UserTokenBody = Type.Object({
  app: Type.String({ minLength: 1 }),
  user: Type.String({ minLength: 1 }),
  expire_in: Type.Optional(Type.Integer({ minimum: 60, maximum: 30 * 86400 })),
});

/** The sandbox admin API under `/rili/v1`: things a test harness needs that the platforms do through a UI. */
export async function sandboxPlugin(app: FastifyInstance, opts: { ctx: AppContext; sandbox: Sandbox }): Promise<void> {
  const { ctx } = opts;
  app.setErrorHandler((error: FastifyError & { validation?: unknown }, request, reply) => {
    if (error instanceof SandboxError) return reply.code(error.status).send({ error: { code: error.code, message: error.message } });
    if (isStoreUnavailable(error)) {
      request.log.warn({ err: error.cause }, error.message);
      return reply.code(503).send({ error: { code: error.kind, message: error.message } });
    }
    if (error instanceof DomainError) return reply.code(400).send({ error: { code: error.kind, message: error.message } });
    if (Array.isArray(error.validation)) {
      return reply.code(400).send({ error: { code: 'invalid_argument', message: describeValidation(error.validation, error.validationContext).message } });
    }
    if (typeof error.statusCode === 'number' && error.statusCode < 500) {
      return reply.code(error.statusCode).send({ error: { code: 'bad_request', message: error.message } });
    }
    request.log.error({ err: error }, 'unexpected error');
    return reply.code(500).send({ error: { code: 'internal', message: 'internal error' } });
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: { code: 'not_found', message: `${request.method} ${request.url} does not exist` } }));

  /**
   * Revokes a sign-in grant, as a user removing the app's access would: by a refresh token (Feishu
   * `ur-…` or DingTalk's) or by an access token issued through sign-in. Its access and refresh tokens
   * stop working at once, on every worker.
   */
  app.post('/oauth/revoke', { schema: { body: Type.Object({ token: Type.String({ minLength: 1, maxLength: 4096 }) }) } }, async (request) => {
    const { token } = request.body as { token: string };
    const check = ctx.tokens.verify(token, Math.floor(ctx.clock.now() / 1000));
    if (check.ok) {
      if (!check.claims.grant) throw new SandboxError(400, 'not_revocable', 'the token was not issued through sign-in (sandbox and app tokens cannot be revoked)');
      return { revoked: await ctx.oauth.revokeGrant(check.claims.grant.id) };
    }
    const revoked = (await ctx.oauth.revokeRefreshToken(token, 'ur-')) || (await ctx.oauth.revokeRefreshToken(token, ''));
    if (!revoked) throw new SandboxError(404, 'token_not_found', 'no live refresh token or sign-in access token matches');
    return { revoked: true };
  });

  app.get('/health', async () => ({ status: 'ok', store: ctx.storeKind }));

  /** A user access token for an app, as if the user had signed in through the platform's OAuth. */
  app.post('/user-tokens', { schema: { body: UserTokenBody } }, async (request) => {
    const body = request.body as { app: string; user: string; expire_in?: number };
    const application = await ctx.directory.appById(body.app);
    const found = { application, user: application && (await ctx.directory.userByAnyId(application.tenantKey, body.user)) };
    if (!found.application) throw new SandboxError(404, 'app_not_found', `no app ${body.app}`);
    if (!found.user) throw new SandboxError(404, 'user_not_found', `no user ${body.user} in the app's tenant`);
    const kind = found.application.platform === 'feishu' ? 'user' : 'dingtalk_user';
    const now = Math.floor(ctx.clock.now() / 1000);
    const { token, exp } = ctx.tokens.issue(
      { kind, tenantKey: found.application.tenantKey, appId: found.application.appId, userId: found.user.id },
      now,
      body.expire_in,
    );
    return { access_token: token, expire: exp - now };
  });

  // Push deliveries join the live stream: read only while someone listens, one at a time so a
  // delivery's states arrive in the order they were recorded.
  const { hub } = opts.sandbox;
  let deliverySeq = 0;
  let publishing: Promise<void> = Promise.resolve();
  const unsubscribeDeliveries = ctx.push.onDelivery((id) => {
    if (hub.size === 0) return;
    publishing = publishing.then(async () => {
      const delivery = await ctx.push.get(id);
      if (delivery) hub.publish({ type: 'delivery', id: ++deliverySeq, data: deliveryToWire(delivery) });
    }).catch((error: unknown) => app.log.warn({ err: error, delivery: id }, 'stream: reading a delivery failed'));
  });
  app.addHook('onClose', async () => {
    unsubscribeDeliveries();
    await publishing;
  });

  await app.register(deliveryRoutes, { ctx });
  await app.register(directoryRoutes, { ctx });
  await app.register(appEventRoutes, { ctx });
  await app.register(sandboxRoutes, { sandbox: opts.sandbox, ctx });
  await app.register(resetRoutes, { ctx });
  await app.register(snapshotRoutes, { ctx });
  await app.register(caldavCredentialRoutes, { ctx });
}
