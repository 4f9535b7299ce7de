import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Whether a peer address is this machine (IPv4 127/8, IPv6 ::1, or IPv4-mapped 127/8). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') || address === '::1';
}

/**
 * Whether a Host header names this machine: a page on another site that resolves its own name to
 * 127.0.0.1 (DNS rebinding) sends its own name here, and is refused.
 */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
  const lower = name.toLowerCase();
  return lower === 'localhost' || lower.endsWith('.localhost') || lower === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(lower);
}

/**
 * DNS rebinding is a browser's attack (a page whose name now resolves to 127.0.0.1), so the Host check
 * applies to requests a browser sent: fetch metadata, an Origin, or a browser's User-Agent. Scripts and
 * SDKs on this machine may name the host as they like.
 */
const looksLikeBrowser = (request: FastifyRequest): boolean =>
  request.headers['sec-fetch-site'] !== undefined || request.headers['sec-fetch-mode'] !== undefined ||
  request.headers.origin !== undefined || /^Mozilla\//.test(request.headers['user-agent'] ?? '');

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A browser write sent from a page of another origin (Fetch Metadata first, then Origin against Host). */
export function isCrossOriginWrite(request: FastifyRequest): boolean {
  if (SAFE_METHODS.has(request.method)) return false;
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string') return site !== 'same-origin' && site !== 'none';
  const origin = request.headers.origin;
  if (typeof origin !== 'string') return false;
  try {
    return new URL(origin).host !== request.headers.host;
  } catch {
    return true;
  }
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Compares in constant time (over digests, so lengths do not leak either). */
function tokenMatches(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

const refuse = (reply: FastifyReply, status: number, code: string, message: string): FastifyReply =>
  reply.code(status).send({ error: { code, message } });

/**
 * The admin API and console's gate: with an admin token, the token from anywhere; without one,
 * loopback peers that name a loopback host only. Browser writes from other origins are refused either way.
 * Returns the reply when it refused, undefined to go on.
 */
export function guardAdmin(request: FastifyRequest, reply: FastifyReply, adminToken: string | undefined): FastifyReply | undefined {
  if (adminToken) {
    const header = request.headers.authorization;
    const given = typeof header === 'string' && /^Bearer /i.test(header) ? header.slice(7).trim() : undefined;
    if (given === undefined || !tokenMatches(given, adminToken)) {
      reply.header('www-authenticate', 'Bearer realm="rili admin"');
      return refuse(reply, 401, 'admin_token_required', 'this rili requires its admin token: Authorization: Bearer <--admin-token>');
    }
  } else {
    if (!isLoopbackAddress(request.socket.remoteAddress)) {
      return refuse(reply, 403, 'loopback_only', 'the admin API answers loopback clients only; start rili with --admin-token to open it to others');
    }
    if (looksLikeBrowser(request) && !isLoopbackHost(request.headers.host)) {
      return refuse(reply, 403, 'host_refused', `the admin API answers requests for localhost only, not ${request.headers.host ?? '(no Host)'}; start rili with --admin-token to allow other names`);
    }
  }
  if (isCrossOriginWrite(request)) return refuse(reply, 403, 'cross_origin_refused', 'admin writes from a page of another origin are refused');
  return undefined;
}
