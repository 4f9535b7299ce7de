import { randomInt } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { FaultRuleInput } from '../../sandbox/faults.js';
import type { Sandbox } from '../../sandbox/sandbox.js';
import { knownFaultError } from './hooks.js';
import { refuse } from './reply.js';

const FaultRule = Type.Object({
  dialect: Type.Optional(Type.Union([Type.Literal('feishu'), Type.Literal('dingtalk'), Type.Literal('any')], { description: 'which API (any: latency only)' })),
  method: Type.Optional(Type.String({ pattern: '^([A-Za-z]+|\\*)$', description: 'an HTTP method or * (the default)' })),
  path: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: 'full path pattern: * one segment, ** anything, :name a segment (default **)' })),
  probability: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'chance a matching request is hit (1)' })),
  seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 4294967295, description: 'seeds the draws; chosen and shown when absent' })),
  times: Type.Optional(Type.Integer({ minimum: 1, description: 'fire at most this many times' })),
  latency_ms: Type.Optional(Type.Integer({ minimum: 0, maximum: 600_000, description: 'delay before answering' })),
  error: Type.Optional(Type.Union([Type.Integer(), Type.String({ minLength: 1 })], { description: 'a Feishu code (190004) or DingTalk code (system.busy)' })),
});

/** `PUT|GET|DELETE /faults`: fault injection on the platform APIs. */
export async function faultRoutes(app: FastifyInstance, opts: { sandbox: Sandbox }): Promise<void> {
  // With --workers, the cluster's rules (the primary holds them): a change is in force on every worker before the answer.
  const { shared } = opts.sandbox;

  app.get('/faults', async () => ({ rules: await shared.listFaults() }));

  app.put('/faults', { schema: { body: Type.Object({ rules: Type.Array(FaultRule, { maxItems: 100 }) }) } }, async (request, reply) => {
    const { rules } = request.body as { rules: FaultRuleInput[] };
    try {
      return { rules: await shared.replaceFaults(rules, knownFaultError, () => randomInt(0, 2 ** 32 - 1)) };
    } catch (error) {
      return refuse(reply, 400, 'invalid_argument', (error as Error).message);
    }
  });

  app.delete('/faults', async () => ({ cleared: await shared.clearFaults() }));
}
