import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../context.js';
import { refuse } from './reply.js';

const ResetAnswer = Type.Object({
  change_seq: Type.Integer({ description: 'the change log is pruned through this: every older sync token answers expired' }),
});

/** `POST /reset`: back to what the database's seeds made, nothing a client added (sandbox only). */
export async function resetRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  app.post('/reset', { schema: { response: { 200: ResetAnswer } } }, async (_request, reply) => {
    const done = await ctx.snapshots.reset();
    if (!done) return refuse(reply, 409, 'no_seed_recorded', 'this database remembers no seed to reset to; restart rili with --seed FILE once');
    return { change_seq: done.changeSeq };
  });
}
