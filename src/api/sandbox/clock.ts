import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Sandbox } from '../../sandbox/sandbox.js';
import type { ClockChange } from '../../sandbox/virtual-clock.js';
import { refuse } from './reply.js';

const ClockState = Type.Object({ now_ms: Type.Integer(), frozen: Type.Boolean() });

const ClockChange = Type.Object({
  now_ms: Type.Optional(Type.Integer({ minimum: 0, description: 'jump to this instant (frozen there unless frozen is false)' })),
  advance_ms: Type.Optional(Type.Integer({ minimum: 0, description: 'move forward by this much, frozen or running as before' })),
  real: Type.Optional(Type.Literal(true, { description: 'back to the real clock' })),
  frozen: Type.Optional(Type.Boolean({ description: 'stop or restart time (alone: at the current instant)' })),
});

/** `GET /clock` and `PUT /clock`: the virtual clock every service reads. */
export async function clockRoutes(app: FastifyInstance, opts: { sandbox: Sandbox }): Promise<void> {
  const { sandbox } = opts;
  const state = () => sandbox.virtualClock?.state() ?? { now_ms: sandbox.clock.now(), frozen: false };

  app.get('/clock', { schema: { response: { 200: ClockState } } }, async () => state());

  app.put('/clock', { schema: { body: ClockChange, response: { 200: ClockState } } }, async (request, reply) => {
    // --sandbox off is refused before this (reply.ts).
    const body = request.body as ClockChange;
    const moves = [body.now_ms, body.advance_ms, body.real].filter((v) => v !== undefined).length;
    if (moves > 1) return refuse(reply, 400, 'invalid_argument', 'give one of now_ms, advance_ms and real');
    if (moves === 0 && body.frozen === undefined) return refuse(reply, 400, 'invalid_argument', 'give now_ms, advance_ms, real or frozen');
    if (body.real && body.frozen) return refuse(reply, 400, 'invalid_argument', 'the real clock cannot be frozen');
    // With --workers, on every worker before this answer.
    await sandbox.shared.changeClock(body);
    return state();
  });
}
