/**
 * The DingTalk side of the push worker: which envelope an app gets, and one attempt of a DingTalk
 * delivery (encrypted, signed in the query, answered by the encrypted `success` or failed).
 */
import { performance } from 'node:perf_hooks';
import { dingtalkRequest, judgeDingtalkAnswer } from '../api/dingtalk/push/crypto.js';
import { DINGTALK_EVENT_TYPE, renderDingtalkPush } from '../api/dingtalk/push/envelope.js';
import { renderFeishuPush } from '../api/feishu/push/envelope.js';
import type { PushConfig } from '../core/push/config.js';
import type { Delivery, DeliveryAttempt } from '../core/push/deliveries.js';
import type { PushRenderer } from '../core/service/push-service.js';

const RESPONSE_KEPT = 2_000;

/** Each app's envelope by its dialect. */
export const renderPush: PushRenderer = (intent, eventId, facts) =>
  facts.platform === 'dingtalk' ? renderDingtalkPush(intent, eventId, facts) : renderFeishuPush(intent, eventId, facts);

export const isDingtalkDelivery = (d: Delivery): boolean => d.eventType === DINGTALK_EVENT_TYPE;

/** One attempt at a DingTalk delivery to `url`; the owner key is the app key (an internal app's event subscription). */
export async function sendDingtalk(delivery: Delivery, url: string, config: PushConfig, at: number, timeoutMs: number): Promise<{ ok: boolean; outcome: DeliveryAttempt }> {
  const keys = { token: config.verificationToken ?? '', aesKey: config.encryptKey ?? '', ownerKey: delivery.appId };
  let request: ReturnType<typeof dingtalkRequest>;
  try {
    request = dingtalkRequest(url, delivery.body, keys, at);
  } catch (error) {
    return { ok: false, outcome: { at, url, requestHeaders: {}, requestBody: '', latencyMs: 0, note: `cannot encrypt: ${(error as Error).message}` } };
  }
  const started = performance.now();
  let status: number | undefined;
  let responseBody: string | undefined;
  let note: string | undefined;
  try {
    const res = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    status = res.status;
    responseBody = (await res.text()).slice(0, RESPONSE_KEPT);
  } catch (error) {
    const e = error as Error;
    note = e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `could not reach the receiver: ${(e.cause as Error | undefined)?.message ?? e.message}`;
  }
  const latencyMs = Math.round(performance.now() - started);
  const judged = status === undefined ? { ok: false } : judgeDingtalkAnswer(status, responseBody, keys);
  const why = note ?? judged.note;
  return {
    ok: judged.ok,
    outcome: {
      at, url: request.url, requestHeaders: request.headers, requestBody: request.body, latencyMs,
      ...(status !== undefined ? { status } : {}), ...(responseBody !== undefined ? { responseBody } : {}),
      ...(why ? { note: why } : {}),
    },
  };
}
