import type { FastifyInstance, RouteOptions } from 'fastify';

interface CollectedRoute {
  readonly method: string;
  readonly url: string;
  readonly schema?: Record<string, unknown>;
}

const collected = new WeakMap<object, CollectedRoute[]>();

/**
 * Remembers every route registered on `app` from now on (with its TypeBox schemas) for the OpenAPI
 * document, under `key` (the server's sandbox), so a plugin deep inside can find them.
 */
export function collectRoutes(app: FastifyInstance, key: object): void {
  const routes: CollectedRoute[] = [];
  collected.set(key, routes);
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD' || method === 'OPTIONS') continue;
      routes.push({ method, url: route.url, schema: route.schema as Record<string, unknown> | undefined });
    }
  });
}

/** The routes collected under `key`. */
export const collectedRoutes = (key: object): readonly CollectedRoute[] => collected.get(key) ?? [];

const tagOf = (url: string): string =>
  url.startsWith('/open-apis/') ? 'Feishu' : url.startsWith('/v1.0/') || url.startsWith('/oauth2/') ? 'DingTalk' : url.startsWith('/rili/') ? 'Sandbox' : 'Other';

/** TypeBox schemas are JSON Schema; strip the symbol-keyed and compile-only parts OpenAPI has no use for. */
const plain = (schema: unknown): Record<string, unknown> => JSON.parse(JSON.stringify(schema ?? {})) as Record<string, unknown>;

/** One path, query or header parameter per property of an object schema. */
function parametersOf(where: 'path' | 'query' | 'header', schema: unknown): Record<string, unknown>[] {
  const s = plain(schema);
  const properties = (s.properties ?? {}) as Record<string, Record<string, unknown>>;
  const required = new Set((s.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
    schema: property,
  }));
}

/**
 * An OpenAPI 3.1 document (whose schema objects are JSON Schema 2020-12, as TypeBox writes them) of
 * every route the server has: Feishu under /open-apis, DingTalk under /v1.0, the sandbox under /rili/v1.
 */
export function openApiDocument(key: object, info: { version: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const routes = [...collectedRoutes(key)].sort((a, b) => a.url.localeCompare(b.url) || a.method.localeCompare(b.method));
  for (const route of routes) {
    // The console's page and assets (/rili/, /rili/assets/…) are not an API.
    if (route.url.includes('*') || /^\/rili(\/(?!v1\/).*)?$/.test(route.url)) continue;
    const path = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const schema = route.schema ?? {};
    const pathParams = [...route.url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]);
    const declared = parametersOf('path', schema.params);
    const parameters = [
      ...declared,
      ...pathParams.filter((name) => !declared.some((p) => p.name === name)).map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
      ...parametersOf('query', schema.querystring),
      ...parametersOf('header', schema.headers),
    ];
    const responses: Record<string, unknown> = {};
    for (const [status, body] of Object.entries((schema.response ?? {}) as Record<string, unknown>)) {
      responses[status] = { description: `status ${status}`, content: { 'application/json': { schema: plain(body) } } };
    }
    if (Object.keys(responses).length === 0) responses.default = { description: 'the answer, in the dialect\'s envelope' };
    const operation: Record<string, unknown> = {
      operationId: `${route.method.toLowerCase()} ${route.url}`,
      tags: [tagOf(route.url)],
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(schema.body ? { requestBody: { required: true, content: { 'application/json': { schema: plain(schema.body) } } } } : {}),
      responses,
    };
    (paths[path] ??= {})[route.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'rili', version: info.version, description: 'Feishu Calendar v4 and DingTalk Calendar v1.0 as rili serves them, and rili\'s sandbox admin API.' },
    tags: [{ name: 'Feishu' }, { name: 'DingTalk' }, { name: 'Sandbox' }],
    paths,
  };
}
