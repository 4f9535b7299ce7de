/**
 * Feishu's long connection (长连接): `POST /callback/ws/endpoint`, where the node SDK's `WSClient`
 * trades the app's credentials for a WebSocket URL and its ClientConfig, and that WebSocket, which
 * carries the app's events as protobuf frames (frames.ts, long-connections.ts).
 */
import { randomBytes } from 'node:crypto';
import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.js';
import { MAX_CONNECTIONS_PER_APP } from './long-connections.js';
import type { LongConnections } from './long-connections.js';
import { WS_CODES } from './ws-errors.js';

/** A ticket is good for this long: the SDK connects right after it asked for the URL. */
const TICKET_SECONDS = 300;

/** The service the frames name (the SDK echoes it in its pings). */
const SERVICE_ID = 33_554_678;

export async function feishuLongConnectionPlugin(app: FastifyInstance, opts: { ctx: AppContext; connections: LongConnections }): Promise<void> {
  const { ctx, connections } = opts;
  await app.register(websocket, { options: { maxPayload: 1024 * 1024 } });

  // The SDK reads `data` before it looks at `code`: every answer carries one, or it would take a
  // refusal for a network failure and retry for ever.
  app.post('/callback/ws/endpoint', async (request) => {
    const body = (request.body ?? {}) as { AppID?: unknown; AppSecret?: unknown; ClientAssertion?: unknown };
    if (typeof body.AppID !== 'string' || body.AppID === '') return { code: WS_CODES.forbidden, msg: 'AppID is required', data: {} };
    const found = await ctx.directory.app('feishu', body.AppID);
    if (!found) return { code: WS_CODES.authFailed, msg: `auth failed: no app ${body.AppID}`, data: {} };
    if (typeof body.ClientAssertion === 'string' && body.ClientAssertion !== '') {
      return { code: WS_CODES.authFailed, msg: 'auth failed: rili does not accept client assertions; use AppSecret', data: {} };
    }
    if (body.AppSecret !== found.secret) return { code: WS_CODES.authFailed, msg: 'auth failed: wrong AppSecret', data: {} };
    if (connections.count(found.appId) >= MAX_CONNECTIONS_PER_APP) {
      return { code: WS_CODES.exceedConnLimit, msg: `the app already has ${MAX_CONNECTIONS_PER_APP} long connections`, data: {} };
    }
    const { token } = ctx.tokens.issue({ kind: 'app', tenantKey: found.tenantKey, appId: found.appId }, Math.floor(ctx.clock.now() / 1000), TICKET_SECONDS);
    const forwarded = request.headers['x-forwarded-proto'];
    const scheme = (typeof forwarded === 'string' ? forwarded : request.protocol) === 'https' ? 'wss' : 'ws';
    const deviceId = randomBytes(8).readBigUInt64BE().toString().slice(0, 19);
    // The SDK reads device_id and service_id with qs.parse over the whole URL: neither may come first.
    const url = `${scheme}://${request.headers.host}/ws/v2?fpid=493&aid=552564&device_id=${deviceId}&access_key=${randomBytes(16).toString('hex')}`
      + `&service_id=${SERVICE_ID}&ticket=${encodeURIComponent(token)}`;
    return { code: WS_CODES.ok, msg: 'ok', data: { URL: url, ClientConfig: connections.clientConfig } };
  });

  app.get('/ws/v2', {
    websocket: true,
    // A bad ticket is refused before the upgrade, with the gateway's handshake headers.
    preValidation: async (request, reply) => {
      const { ticket } = request.query as { ticket?: string };
      const check = typeof ticket === 'string' ? ctx.tokens.verify(ticket, Math.floor(ctx.clock.now() / 1000)) : undefined;
      if (!check?.ok || check.claims.kind !== 'app') {
        const why = check && !check.ok && check.reason === 'expired' ? 'ticket expired' : 'invalid ticket';
        return reply.code(403)
          .header('handshake-status', String(WS_CODES.forbidden)).header('handshake-msg', why).header('handshake-autherrcode', String(WS_CODES.authFailed))
          .send({ code: WS_CODES.forbidden, msg: why });
      }
    },
  }, (socket, request) => {
    const { ticket, device_id: deviceId } = request.query as { ticket: string; device_id?: string };
    const check = ctx.tokens.verify(ticket, Math.floor(ctx.clock.now() / 1000));
    if (!check.ok) {
      socket.close(1008, 'invalid ticket');
      return;
    }
    const appId = check.claims.appId;
    request.log.info({ appId, deviceId }, 'long connection opened');
    socket.on('close', () => request.log.info({ appId, deviceId }, 'long connection closed'));
    connections.attach(appId, socket, SERVICE_ID, deviceId ?? '', () => {
      void ctx.push.longConnectionOpened(appId).catch((error: unknown) => request.log.warn({ err: error, appId }, 'long connection: could not mark the app'));
    });
  });
}
