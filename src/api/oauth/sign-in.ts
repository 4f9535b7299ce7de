import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { parseScopes } from '../../core/oauth.js';
import type { App, Platform } from '../../core/types.js';
import { PAGE_HEADERS, consentPage, errorPage } from './consent-page.js';

/**
 * The authorization step both platforms share: check the request against the app, show the consent
 * page (or, with `login_hint`, skip it), and redirect back with a code or `error=access_denied`.
 *
 * Safety: an unknown app or a redirect URI the app did not register is shown as an error page, never
 * redirected to. The page posts its choice with a signed ticket (the checked request, which the POST
 * cannot alter) and a CSRF token that must equal a SameSite=Strict cookie set with the page, so
 * another site can neither forge a choice nor replay someone else's page.
 */
export interface SignInDialect {
  readonly platform: Platform;
  readonly platformName: string;
  /** The query parameter that carries the code back: `code` (Feishu) or `authCode` (DingTalk). */
  readonly codeParam: string;
  /** The absolute path the consent form posts to. */
  readonly action: string;
}

/** An authorization request as the page's parameters give it, before checking. */
export interface AuthorizeParams {
  readonly clientId: unknown;
  readonly redirectUri: unknown;
  readonly scope?: unknown;
  readonly state?: unknown;
  readonly codeChallenge?: unknown;
  readonly codeChallengeMethod?: unknown;
  readonly responseType?: unknown;
  readonly loginHint?: unknown;
}

/** A checked request: what the ticket carries from the page to the choice. */
interface SignInTicket {
  readonly appId: string;
  readonly redirectUri: string;
  readonly scopes: readonly string[] | undefined;
  readonly state: string | undefined;
  readonly codeChallenge: string | undefined;
  readonly challengeMethod: 'S256' | 'plain' | undefined;
  readonly csrf: string;
  /** Unix seconds. */
  readonly exp: number;
}

const CSRF_COOKIE = 'rili_signin_csrf';
/** How long a shown page may be answered. */
const PAGE_TTL_SECONDS = 600;
/** Feishu allows at most 50 scopes in one request. */
const MAX_SCOPES = 50;
const MAX_PAGE_USERS = 500;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function showError(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).headers(PAGE_HEADERS).send(errorPage(message));
}

/** `redirect_uri` with the answer's parameters added (its own query kept). */
function redirectWith(reply: FastifyReply, redirectUri: string, params: Record<string, string | undefined>): FastifyReply {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return reply.code(302).header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').redirect(url.toString(), 302);
}

function isAbsoluteHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hash === '';
  } catch {
    return false;
  }
}

/** Whether `redirectUri` may be sent to for this app: registered, or any absolute URL when none are. */
export function redirectAllowed(app: App, redirectUri: string): boolean {
  if (!isAbsoluteHttpUrl(redirectUri)) return false;
  return app.redirectUris === undefined || app.redirectUris.includes(redirectUri);
}

function cookieValue(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

function sealTicket(ctx: AppContext, ticket: SignInTicket): string {
  const body = Buffer.from(JSON.stringify(ticket)).toString('base64url');
  return `${body}.${ctx.tokens.mac('signin-ticket', body)}`;
}

function openTicket(ctx: AppContext, sealed: string, now: number): SignInTicket | undefined {
  const [body, mac, extra] = sealed.split('.');
  if (!body || !mac || extra !== undefined) return undefined;
  const expected = Buffer.from(ctx.tokens.mac('signin-ticket', body));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  try {
    const ticket = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as SignInTicket;
    return ticket.exp > now ? ticket : undefined;
  } catch {
    return undefined;
  }
}

async function issueAndRedirect(ctx: AppContext, reply: FastifyReply, dialect: SignInDialect, app: App, ticket: Omit<SignInTicket, 'csrf' | 'exp'>, userId: string): Promise<FastifyReply> {
  const code = await ctx.oauth.issueCode({
    platform: dialect.platform, appId: app.appId, tenantKey: app.tenantKey, userId, scopes: ticket.scopes,
    redirectUri: ticket.redirectUri, codeChallenge: ticket.codeChallenge, challengeMethod: ticket.challengeMethod,
  });
  return redirectWith(reply, ticket.redirectUri, { [dialect.codeParam]: code, state: ticket.state });
}

/** GET of the authorization page. */
export async function showSignIn(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, dialect: SignInDialect, params: AuthorizeParams): Promise<FastifyReply> {
  const clientId = str(params.clientId);
  const redirectUri = str(params.redirectUri);
  if (!clientId) return showError(reply, 400, 'The request names no app (client_id is missing).');
  const app = await ctx.directory.app(dialect.platform, clientId);
  if (!app) return showError(reply, 400, `No ${dialect.platformName} app "${clientId}" exists.`);
  if (!redirectUri) return showError(reply, 400, 'redirect_uri is missing.');
  if (!redirectAllowed(app, redirectUri)) {
    return showError(reply, 400, `redirect_uri "${redirectUri}" is not ${app.redirectUris ? 'registered for this app' : 'an absolute http(s) URL'}.`);
  }
  // From here the redirect URI is trusted: request errors go back to the app, as OAuth has it.
  const state = str(params.state);
  const refuse = (error: string, description: string) => redirectWith(reply, redirectUri, { error, error_description: description, state });
  const responseType = str(params.responseType);
  if (responseType !== undefined && responseType !== 'code') return refuse('unsupported_response_type', 'response_type must be code');
  const scopeText = str(params.scope);
  const scopes = scopeText === undefined ? undefined : parseScopes(scopeText);
  if (scopes && scopes.length > MAX_SCOPES) return refuse('invalid_scope', `at most ${MAX_SCOPES} scopes`);
  const codeChallenge = str(params.codeChallenge);
  const method = str(params.codeChallengeMethod);
  if (method !== undefined && method !== 'S256' && method !== 'plain') return refuse('invalid_request', 'code_challenge_method must be S256 or plain');
  if (codeChallenge !== undefined && !/^[A-Za-z0-9._~-]{43,128}$/.test(codeChallenge)) return refuse('invalid_request', 'code_challenge must be 43 to 128 characters of [A-Za-z0-9._~-]');
  const checked: Omit<SignInTicket, 'csrf' | 'exp'> = {
    appId: app.appId, redirectUri, scopes, state,
    codeChallenge, challengeMethod: codeChallenge === undefined ? undefined : (method ?? 'plain'),
  };

  const loginHint = str(params.loginHint);
  if (loginHint !== undefined) {
    const user = await ctx.directory.userByAnyId(app.tenantKey, loginHint);
    if (!user) return showError(reply, 400, `login_hint "${loginHint}" names no user of the app's tenant.`);
    return issueAndRedirect(ctx, reply, dialect, app, checked, user.id);
  }

  const now = Math.floor(ctx.clock.now() / 1000);
  const existing = cookieValue(request, CSRF_COOKIE);
  const csrf = existing && /^[A-Za-z0-9]{32}$/.test(existing) ? existing : ctx.ids.random(32);
  const users = await ctx.directory.usersOfTenant(app.tenantKey, MAX_PAGE_USERS);
  const html = consentPage({
    platformName: dialect.platformName,
    appName: app.name,
    scopes,
    users: users.map((u) => ({ id: u.id, name: u.name, detail: u.email ?? u.userId })),
    action: dialect.action,
    hidden: { ticket: sealTicket(ctx, { ...checked, csrf, exp: now + PAGE_TTL_SECONDS }), csrf },
  });
  reply.header('set-cookie', `${CSRF_COOKIE}=${csrf}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${PAGE_TTL_SECONDS}`);
  return reply.code(200).headers(PAGE_HEADERS).send(html);
}

/** POST of the consent form: the user's choice. */
export async function answerSignIn(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, dialect: SignInDialect, form: unknown): Promise<FastifyReply> {
  const fields = (form && typeof form === 'object' ? form : {}) as Record<string, unknown>;
  const now = Math.floor(ctx.clock.now() / 1000);
  const ticket = typeof fields.ticket === 'string' ? openTicket(ctx, fields.ticket, now) : undefined;
  if (!ticket) return showError(reply, 400, 'This sign-in page has expired or was altered; start again from the app.');
  const cookie = cookieValue(request, CSRF_COOKIE);
  if (typeof fields.csrf !== 'string' || fields.csrf !== ticket.csrf || cookie !== ticket.csrf) {
    return showError(reply, 403, 'The sign-in form did not come from this browser\'s sign-in page.');
  }
  const app = await ctx.directory.app(dialect.platform, ticket.appId);
  if (!app || !redirectAllowed(app, ticket.redirectUri)) return showError(reply, 400, 'The app or its redirect URI is no longer valid.');
  if (fields.decision === 'deny') {
    return redirectWith(reply, ticket.redirectUri, { error: 'access_denied', error_description: 'the user denied the request', state: ticket.state });
  }
  const user = typeof fields.user === 'string' ? await ctx.directory.user(fields.user) : undefined;
  if (!user || user.tenantKey !== app.tenantKey) return showError(reply, 400, 'Choose one of the listed users.');
  return issueAndRedirect(ctx, reply, dialect, app, ticket, user.id);
}

/** Parses an `application/x-www-form-urlencoded` body into an object of its first values. */
export function parseForm(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(body)) if (!(k in out)) out[k] = v;
  return out;
}
