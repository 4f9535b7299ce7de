import { createHash, randomBytes } from 'node:crypto';
import type { TestServer } from '../../../helpers/server.js';

export const CALLBACK = 'http://127.0.0.1:9/callback';

/** Signs a user in through the authorize page with `login_hint` (no page); returns the code from the redirect. */
export async function signIn(s: TestServer, options: { app?: string; user?: string; scope?: string; state?: string; challenge?: string; method?: string; redirectUri?: string; path?: string } = {}): Promise<string> {
  const params = new URLSearchParams({
    [options.path === 'index' ? 'app_id' : 'client_id']: options.app ?? 'cli_acme',
    redirect_uri: options.redirectUri ?? CALLBACK,
    login_hint: options.user ?? 'zhangsan',
    state: options.state ?? 'st-1',
  });
  if (options.scope !== undefined) params.set('scope', options.scope);
  if (options.challenge !== undefined) params.set('code_challenge', options.challenge);
  if (options.method !== undefined) params.set('code_challenge_method', options.method);
  const res = await fetch(`${s.url}/open-apis/authen/v1/${options.path ?? 'authorize'}?${params}`, { redirect: 'manual' });
  if (res.status !== 302) throw new Error(`sign-in answered ${res.status}: ${await res.text()}`);
  const location = new URL(res.headers.get('location')!);
  const code = location.searchParams.get('code');
  if (!code) throw new Error(`no code in ${location}`);
  return code;
}

/** Calls the v2 token endpoint with a JSON body. */
export async function v2Token(s: TestServer, body: Record<string, unknown>): Promise<{ status: number; body: any }> {
  const res = await fetch(`${s.url}/open-apis/authen/v2/oauth/token`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_id: 'cli_acme', client_secret: 'acme-secret', ...body }),
  });
  return { status: res.status, body: await res.json() };
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}
