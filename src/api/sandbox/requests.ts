import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { JournalFilter } from '../../sandbox/journal.js';
import type { Sandbox } from '../../sandbox/sandbox.js';
import { refuse } from './reply.js';

/** The journal's filters, shared by `GET /requests` and `GET /stream`. */
export const JournalFilterQuery = {
  dialect: Type.Optional(Type.Union([Type.Literal('feishu'), Type.Literal('dingtalk'), Type.Literal('other')], { description: 'which API' })),
  app: Type.Optional(Type.String({ minLength: 1, description: 'an app id (Feishu app_id, DingTalk app_key)' })),
  user: Type.Optional(Type.String({ minLength: 1, description: 'rili\'s internal user id of the caller' })),
  path: Type.Optional(Type.String({ minLength: 1, description: 'a path prefix, or a pattern: * one segment, ** anything, :name a segment' })),
  status: Type.Optional(Type.String({ pattern: '^[1-5]([0-9][0-9]|xx|XX)$', description: 'a status (429) or a class (4xx)' })),
  since: Type.Optional(Type.Integer({ minimum: 0, description: 'arrived at or after this time, ms by rili\'s clock' })),
  after: Type.Optional(Type.Integer({ minimum: 0, description: 'seq greater than this' })),
};

export const filterOf = (query: Record<string, unknown>): JournalFilter => ({
  dialect: query.dialect as string | undefined,
  app: query.app as string | undefined,
  user: query.user as string | undefined,
  path: query.path as string | undefined,
  status: query.status as string | undefined,
  since: query.since as number | undefined,
  after: query.after as number | undefined,
});

/** `GET /requests` and `DELETE /requests`: the request journal. */
export async function requestRoutes(app: FastifyInstance, opts: { sandbox: Sandbox }): Promise<void> {
  // With --workers, every worker's journal, gathered through the primary.
  const { journal, shared } = opts.sandbox;
  app.get('/requests', {
    schema: {
      querystring: Type.Object({ ...JournalFilterQuery, limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, description: 'at most this many of the newest matches (1000)' })) }),
    },
  }, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    let page;
    try {
      page = await shared.listRequests(filterOf(query), (query.limit as number | undefined) ?? 1000);
    } catch (error) {
      return refuse(reply, 400, 'invalid_argument', (error as Error).message);
    }
    const { requests, kept, keptBytes } = page;
    return { requests, kept, kept_bytes: keptBytes, limits: { max_entries: journal.limits.maxEntries, max_bytes: journal.limits.maxBytes } };
  });

  app.delete('/requests', async () => ({ cleared: await shared.clearRequests() }));
}
