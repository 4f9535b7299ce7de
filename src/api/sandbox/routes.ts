import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import type { Sandbox } from '../../sandbox/sandbox.js';
import { clockRoutes } from './clock.js';
import { faultRoutes } from './faults.js';
import { openApiDocument } from './openapi.js';
import { requestRoutes } from './requests.js';
import { streamRoutes } from './stream.js';

const VERSION = '0.1.0';

/** The sandbox's own routes (journal, stream, faults, clock, OpenAPI), inside the sandbox plugin. */
export async function sandboxRoutes(app: FastifyInstance, opts: { sandbox: Sandbox; ctx: AppContext }): Promise<void> {
  await app.register(requestRoutes, { sandbox: opts.sandbox });
  await app.register(streamRoutes, opts);
  await app.register(faultRoutes, { sandbox: opts.sandbox });
  await app.register(clockRoutes, { sandbox: opts.sandbox });
  let document: Record<string, unknown> | undefined;
  // Made on first use: by then every plugin has registered its routes.
  app.get('/openapi.json', async () => (document ??= openApiDocument(opts.sandbox, { version: VERSION })));
}
