import http from 'node:http';

/** One HTTP answer, read whole. */
export interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly json: any;
  /** Milliseconds from sending to the last byte. */
  readonly ms: number;
}

export interface Send {
  readonly method: string;
  /** Path with its query string, sent as is (no normalisation). */
  readonly path: string;
  readonly headers?: Record<string, string>;
  /** An object is sent as JSON; a string or Buffer as it is. */
  readonly body?: unknown;
  readonly agent?: http.Agent;
  /** Abort (reject) after this long; default 60 s. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/**
 * A request with node:http rather than fetch: the path, headers and body bytes go out exactly as
 * given (fetch would normalise the URL and refuse some bodies), which fuzzing and crash tests need.
 * Rejects on any transport error: a refused connection, a reset, a process killed mid-answer.
 */
export function send(base: string, req: Send): Promise<Answer> {
  const url = new URL(base);
  const raw = req.body === undefined ? undefined
    : Buffer.isBuffer(req.body) ? req.body
      : typeof req.body === 'string' ? Buffer.from(req.body)
        : Buffer.from(JSON.stringify(req.body));
  const headers: Record<string, string> = { ...(req.headers ?? {}) };
  if (raw !== undefined) {
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json; charset=utf-8';
    headers['content-length'] = String(raw.length);
  }
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const r = http.request({
      host: url.hostname, port: url.port, method: req.method, path: req.path, headers, agent: req.agent ?? false, signal: req.signal,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('aborted', () => reject(new Error('response aborted')));
      res.on('end', () => {
        if (!res.complete) {
          reject(new Error('response incomplete'));
          return;
        }
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = text === '' ? undefined : JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json, ms: performance.now() - started });
      });
    });
    r.setTimeout(req.timeoutMs ?? 60_000, () => r.destroy(new Error(`timeout after ${req.timeoutMs ?? 60_000} ms: ${req.method} ${req.path}`)));
    r.on('error', reject);
    if (raw !== undefined) r.end(raw);
    else r.end();
  });
}

/** A Feishu caller: a base URL and an access token (user `u-…` or tenant `t-…`). */
export interface FeishuCaller {
  readonly base: string;
  readonly token?: string;
  readonly agent?: http.Agent;
}

/** Calls a Feishu path under /open-apis with the caller's token. */
export function feishu(c: FeishuCaller, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return send(c.base, {
    method,
    path: `/open-apis${path}`,
    headers: { ...(c.token ? { authorization: `Bearer ${c.token}` } : {}), ...headers },
    body,
    agent: c.agent,
  });
}

/** Calls a DingTalk path under /v1.0 with an access token. */
export function dingtalk(base: string, token: string | undefined, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return send(base, {
    method,
    path: `/v1.0${path}`,
    headers: { ...(token ? { 'x-acs-dingtalk-access-token': token } : {}), ...headers },
    body,
  });
}

/** Feishu success: HTTP 200 and code 0. */
export const isFeishuOk = (a: Answer): boolean => a.status === 200 && a.json?.code === 0;

/** A user token through the sandbox (`expire_in` a day, so long runs never see one expire). */
export async function sandboxToken(base: string, app: string, user: string, expireIn = 86_400): Promise<string> {
  const a = await send(base, { method: 'POST', path: '/rili/v1/user-tokens', body: { app, user, expire_in: expireIn } });
  if (a.status !== 200) throw new Error(`user token for ${user}@${app}: ${a.status} ${a.text}`);
  return a.json.access_token as string;
}

/** A Feishu tenant token for an app. */
export async function tenantToken(base: string, appId: string, appSecret: string): Promise<string> {
  const a = await send(base, { method: 'POST', path: '/open-apis/auth/v3/tenant_access_token/internal', body: { app_id: appId, app_secret: appSecret } });
  if (a.json?.code !== 0) throw new Error(`tenant token for ${appId}: ${a.text}`);
  return a.json.tenant_access_token as string;
}

/** A DingTalk app token. */
export async function dingtalkAppToken(base: string, appKey: string, appSecret: string): Promise<string> {
  const a = await send(base, { method: 'POST', path: '/v1.0/oauth2/accessToken', body: { appKey, appSecret } });
  if (a.status !== 200) throw new Error(`DingTalk token for ${appKey}: ${a.text}`);
  return a.json.accessToken as string;
}
