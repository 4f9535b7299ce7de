import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../context.js';
import type { SnapshotInfo } from '../../core/ports.js';
import { SnapshotFormatError } from '../../core/snapshot-format.js';
import { refuse } from './reply.js';

const Name = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$', description: 'letters, digits, ".", "_" and "-", 100 at most' });

const Snapshot = Type.Object({
  name: Type.String(),
  created_at_ms: Type.Integer({ description: 'when it was taken, by rili\'s clock' }),
  bytes: Type.Integer({ description: 'its size in the export format' }),
});

const shown = (s: SnapshotInfo) => ({ name: s.name, created_at_ms: s.createdAt, bytes: s.bytes });

/**
 * `POST|GET /snapshots`, `POST /snapshots/:name/restore`, `DELETE /snapshots/:name`: named copies of
 * the whole state, kept in the database (every worker and a restart sees them).
 */
export async function snapshotRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;

  app.post('/snapshots', {
    schema: { body: Type.Object({ name: Name }), response: { 200: Type.Object({ ...Snapshot.properties, replaced: Type.Boolean() }) } },
  }, async (request) => {
    const { name } = request.body as { name: string };
    const saved = await ctx.snapshots.save(name);
    return { ...shown(saved), replaced: saved.replaced };
  });

  app.get('/snapshots', { schema: { response: { 200: Type.Object({ snapshots: Type.Array(Snapshot) }) } } }, async () => ({
    snapshots: (await ctx.snapshots.list()).map(shown),
  }));

  app.post('/snapshots/:name/restore', {
    schema: { params: Type.Object({ name: Name }), response: { 200: Type.Object({ name: Type.String(), change_seq: Type.Integer({ description: 'the change log is pruned through this: every older sync token answers expired' }) }) } },
  }, async (request, reply) => {
    const { name } = request.params as { name: string };
    let restored: Awaited<ReturnType<AppContext['snapshots']['restore']>>;
    try {
      restored = await ctx.snapshots.restore(name);
    } catch (error) {
      if (error instanceof SnapshotFormatError || (error instanceof Error && /^snapshot: /.test(error.message))) return refuse(reply, 409, 'snapshot_unreadable', error.message);
      throw error;
    }
    if (!restored) return refuse(reply, 404, 'snapshot_not_found', `no snapshot named ${name}`);
    return { name, change_seq: restored.changeSeq };
  });

  app.delete('/snapshots/:name', { schema: { params: Type.Object({ name: Name }) } }, async (request, reply) => {
    const { name } = request.params as { name: string };
    if (!(await ctx.snapshots.delete(name))) return refuse(reply, 404, 'snapshot_not_found', `no snapshot named ${name}`);
    return { deleted: name };
  });
}
