/**
 * The handshake DingTalk makes when an app saves its event-subscription URL: an encrypted, signed
 * `{"EventType":"check_url"}`; the receiver must answer the encrypted `success` within 1 500 ms.
 */
import { dingtalkRequest, judgeDingtalkAnswer } from './crypto.js';

const LIMIT_MS = 1_500;

/** Undefined when the receiver answered in time and right; otherwise why the URL is refused. */
export async function checkUrl(url: string, config: { token: string; aesKey: string; ownerKey: string }, nowMs: number): Promise<string | undefined> {
  if (!/^https?:\/\//i.test(url)) return 'the request URL must be an http or https URL';
  const request = dingtalkRequest(url, JSON.stringify({ EventType: 'check_url' }), config, nowMs);
  let status: number;
  let text: string;
  try {
    const res = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body, redirect: 'manual', signal: AbortSignal.timeout(LIMIT_MS) });
    status = res.status;
    text = await res.text();
  } catch (error) {
    const e = error as Error;
    return e.name === 'TimeoutError' ? `check_url was not answered within ${LIMIT_MS} ms` : `the request URL could not be reached: ${(e.cause as Error | undefined)?.message ?? e.message}`;
  }
  const judged = judgeDingtalkAnswer(status, text, config);
  return judged.ok ? undefined : `check_url: ${judged.note ?? 'no answer'}`;
}
