/**
 * The challenge Feishu sends when an app saves its request URL: `{"challenge","token","type":"url_verification"}`
 * (encrypted with the Encrypt Key when there is one, unsigned); the receiver must echo `{"challenge"}` within 1 s.
 */
import { randomUUID } from 'node:crypto';
import { encryptBody } from './signing.js';

const LIMIT_MS = 1_000;

/** Undefined when the receiver echoed the challenge in time; otherwise why the URL is refused. */
export async function verifyRequestUrl(url: string, config: { encryptKey?: string; verificationToken?: string }): Promise<string | undefined> {
  if (!/^https?:\/\//i.test(url)) return 'the request URL must be an http or https URL';
  const challenge = randomUUID();
  const plain = JSON.stringify({ challenge, token: config.verificationToken ?? '', type: 'url_verification' });
  const body = config.encryptKey ? JSON.stringify({ encrypt: encryptBody(plain, config.encryptKey) }) : plain;
  let status: number;
  let text: string;
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body, redirect: 'manual', signal: AbortSignal.timeout(LIMIT_MS) });
    status = res.status;
    text = await res.text();
  } catch (error) {
    const e = error as Error;
    return e.name === 'TimeoutError' ? `the challenge was not answered within ${LIMIT_MS} ms` : `the request URL could not be reached: ${(e.cause as Error | undefined)?.message ?? e.message}`;
  }
  if (status !== 200) return `the challenge was answered with HTTP ${status}`;
  let echoed: unknown;
  try {
    echoed = (JSON.parse(text) as { challenge?: unknown }).challenge;
  } catch {
    return `the challenge answer is not JSON: ${text.slice(0, 200)}`;
  }
  return echoed === challenge ? undefined : `the answer did not echo the challenge (got ${JSON.stringify(text.slice(0, 200))})`;
}
