import type { FastifyReply } from 'fastify';

/** The sandbox's refusal body, as plugin.ts answers its own: `{error: {code, message}}`. */
export const refuse = (reply: FastifyReply, status: number, code: string, message: string): FastifyReply =>
  reply.code(status).send({ error: { code, message } });

/**
 * Endpoints that only a sandbox may serve: with `--sandbox off` they answer 403 `sandbox_off`.
 * Later sandbox-only endpoints (reset, snapshots) are added here.
 */
const SANDBOX_ONLY: readonly { readonly method: string; readonly path: RegExp }[] = [
  { method: 'POST', path: /^\/rili\/v1\/user-tokens$/ },
  { method: 'PUT', path: /^\/rili\/v1\/clock$/ },
  { method: 'PUT', path: /^\/rili\/v1\/faults$/ },
  { method: 'DELETE', path: /^\/rili\/v1\/faults$/ },
  { method: 'POST', path: /^\/rili\/v1\/reset$/ },
  { method: 'POST', path: /^\/rili\/v1\/snapshots(\/.*)?$/ },
  { method: 'DELETE', path: /^\/rili\/v1\/snapshots(\/.*)?$/ },
];

export const isSandboxOnly = (method: string, url: string): boolean => {
  const path = url.split('?', 1)[0];
  return SANDBOX_ONLY.some((e) => e.method === method && e.path.test(path));
};
