import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../context.js';
import type { PushConfig } from '../../core/push/config.js';
import { verifyRequestUrl } from '../feishu/push/url-verification.js';
import { dingtalkConfigToWire, putDingtalkEvents } from './dingtalk-app-events.js';
import type { EventsWire } from './dingtalk-app-events.js';
import { refuse } from './reply.js';

const EventsBody = Type.Object({
  request_url: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
  encrypt_key: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  verification_token: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  // DingTalk's: the token that signs each push and the 43-character aes_key.
  token: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  aes_key: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
}, { additionalProperties: false });

const configToWire = (appId: string, c: PushConfig | undefined) => ({
  app_id: appId,
  request_url: c?.requestUrl ?? null,
  encrypt_key: c?.encryptKey ?? null,
  verification_token: c?.verificationToken ?? null,
});

/** `GET` and `PUT /apps/{app_id}/events`: an app's push receiver, as the platform console sets it. */
export async function appEventRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  const Params = Type.Object({ app_id: Type.String({ minLength: 1, maxLength: 255 }) });

  app.get('/apps/:app_id/events', { schema: { params: Params } }, async (request, reply) => {
    const { app_id: appId } = request.params as { app_id: string };
    const found = await ctx.directory.appById(appId);
    if (!found) return refuse(reply, 404, 'app_not_found', `no app ${appId}`);
    const config = await ctx.push.config(appId);
    return found.platform === 'dingtalk' ? dingtalkConfigToWire(appId, config) : configToWire(appId, config);
  });

  app.put('/apps/:app_id/events', { schema: { params: Params, body: EventsBody } }, async (request, reply) => {
    const { app_id: appId } = request.params as { app_id: string };
    const body = request.body as EventsWire;
    const found = await ctx.directory.appById(appId);
    if (!found) return refuse(reply, 404, 'app_not_found', `no app ${appId}`);
    if (found.platform === 'dingtalk') return putDingtalkEvents(ctx, reply, appId, body);
    for (const field of ['token', 'aes_key'] as const) {
      if (body[field] !== undefined) return refuse(reply, 400, 'invalid_field', `${field} is DingTalk's; a Feishu app sets encrypt_key and verification_token`);
    }
    const config: PushConfig = {
      ...(body.request_url !== undefined ? { requestUrl: body.request_url } : {}),
      ...(body.encrypt_key !== undefined ? { encryptKey: body.encrypt_key } : {}),
      ...(body.verification_token !== undefined ? { verificationToken: body.verification_token } : {}),
    };
    // As the console does: a URL is saved only once it has answered the challenge.
    if (config.requestUrl !== undefined) {
      const refusal = await verifyRequestUrl(config.requestUrl, config);
      if (refusal !== undefined) return refuse(reply, 400, 'url_verification_failed', refusal);
    }
    await ctx.push.setConfig(appId, config);
    return configToWire(appId, config);
  });
}
