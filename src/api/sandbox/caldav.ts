import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../context.js';

/**
 * CalDAV credentials in the sandbox: list a user's (no secrets: only hashes are kept) and revoke
 * one, which ends its CalDAV access and its iCalendar feed URLs at once.
 */
export async function caldavCredentialRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  app.get('/caldav-credentials', { schema: { querystring: Type.Object({ app: Type.String(), user: Type.String() }) } }, async (request, reply) => {
    const q = request.query as { app: string; user: string };
    const application = await ctx.directory.appById(q.app);
    const user = application && await ctx.directory.userByAnyId(application.tenantKey, q.user);
    if (!user) return reply.code(404).send({ error: { code: 'user_not_found', message: `no user ${q.user} in app ${q.app}'s tenant` } });
    return { items: (await ctx.caldavCredentials.list(user.id)).map((c) => ({ user_name: c.userName, device_name: c.deviceName, platform: c.platform, app_id: c.appId, created_at: c.createdAt })) };
  });
  app.delete('/caldav-credentials/:user_name', async (request, reply) => {
    const { user_name: userName } = request.params as { user_name: string };
    if (!(await ctx.caldavCredentials.revoke(userName))) return reply.code(404).send({ error: { code: 'credential_not_found', message: `no CalDAV credential ${userName}` } });
    return reply.code(204).send();
  });
}
