/**
 * `PUT`/`GET /rili/v1/apps/{app_id}/events` for a DingTalk app: `{request_url, token, aes_key}`, the
 * console's "事件订阅" HTTP page. Saving a URL first sends the `check_url` handshake.
 */
import type { FastifyReply } from 'fastify';
import type { AppContext } from '../../context.js';
import type { PushConfig } from '../../core/push/config.js';
import { checkUrl } from '../dingtalk/push/check-url.js';
import { isAesKey } from '../dingtalk/push/crypto.js';
import { refuse } from './reply.js';

export interface EventsWire {
  request_url?: string;
  encrypt_key?: string;
  verification_token?: string;
  token?: string;
  aes_key?: string;
}

/** The stored config as a DingTalk app reads it (token and aes_key share Feishu's columns). */
export const dingtalkConfigToWire = (appId: string, c: PushConfig | undefined) => ({
  app_id: appId,
  request_url: c?.requestUrl ?? null,
  token: c?.verificationToken ?? null,
  aes_key: c?.encryptKey ?? null,
});

export async function putDingtalkEvents(ctx: AppContext, reply: FastifyReply, appId: string, body: EventsWire): Promise<FastifyReply | object> {
  for (const field of ['encrypt_key', 'verification_token'] as const) {
    if (body[field] !== undefined) return refuse(reply, 400, 'invalid_field', `${field} is Feishu's; a DingTalk app sets token and aes_key`);
  }
  if (body.aes_key !== undefined && !isAesKey(body.aes_key)) {
    return refuse(reply, 400, 'invalid_field', 'aes_key must be 43 characters of base64 (letters, digits, + and /)');
  }
  if (body.request_url !== undefined && (body.token === undefined || body.aes_key === undefined)) {
    return refuse(reply, 400, 'invalid_field', 'a DingTalk request_url needs token and aes_key: every push is encrypted and signed');
  }
  const config: PushConfig = {
    ...(body.request_url !== undefined ? { requestUrl: body.request_url } : {}),
    ...(body.aes_key !== undefined ? { encryptKey: body.aes_key } : {}),
    ...(body.token !== undefined ? { verificationToken: body.token } : {}),
  };
  if (body.request_url !== undefined) {
    const refusal = await checkUrl(body.request_url, { token: body.token!, aesKey: body.aes_key!, ownerKey: appId }, ctx.clock.now());
    if (refusal !== undefined) return refuse(reply, 400, 'url_verification_failed', refusal);
  }
  await ctx.push.setConfig(appId, config);
  return dingtalkConfigToWire(appId, config);
}
