/**
 * The live long connections of Feishu apps in this process, and sending an event over one. An event
 * is one data frame (`sum` 1); the SDK answers it with the same frame plus `biz_rt` and the payload
 * `{"code":200}` (500 when its handler threw), which is the attempt's answer.
 */
import { randomBytes } from 'node:crypto';
import type { WebSocket } from 'ws';
import { METHOD_CONTROL, METHOD_DATA, decodeFrame, encodeFrame, headerOf } from './frames.js';
import type { Frame } from './frames.js';

/** What the endpoint hands the SDK and every pong repeats (seconds; -1 reconnects for ever). */
export interface WsClientConfig {
  readonly PingInterval: number;
  readonly ReconnectCount: number;
  readonly ReconnectInterval: number;
  readonly ReconnectNonce: number;
}

/** The platform's values, as the SDK's defaults (ws-config.ts) are. */
export const FEISHU_WS_CLIENT_CONFIG: WsClientConfig = { PingInterval: 120, ReconnectCount: -1, ReconnectInterval: 120, ReconnectNonce: 30 };

/** The platform allows an app 50 connections. */
export const MAX_CONNECTIONS_PER_APP = 50;

export type WsSendOutcome =
  | { readonly ok: true; readonly status: number; readonly responseBody: string }
  | { readonly ok: false; readonly note: string; readonly status?: number; readonly responseBody?: string; readonly dropped?: boolean };

interface Live {
  readonly appId: string;
  readonly socket: WebSocket;
  readonly serviceId: number;
  readonly connId: string;
  readonly waiting: Map<string, (outcome: WsSendOutcome) => void>;
}

const ACK_KEPT = 2_000;

export class LongConnections {
  private readonly byApp = new Map<string, Live[]>();
  private seq = 0;
  private turn = 0;

  constructor(readonly clientConfig: WsClientConfig = FEISHU_WS_CLIENT_CONFIG) {}

  count(appId: string): number {
    return this.byApp.get(appId)?.length ?? 0;
  }

  /** Every live connection's app, one entry per app. */
  apps(): string[] {
    return [...this.byApp.keys()];
  }

  /**
   * Serves a connection the endpoint accepted: pongs to pings, acknowledgements to sent events. It
   * carries events from its first ping on: the SDK sends that from its 'open' handler and starts
   * listening right after, so a frame sent before it could be lost. `onReady` is called then.
   */
  attach(appId: string, socket: WebSocket, serviceId: number, connId: string, onReady: () => void): void {
    const live: Live = { appId, socket, serviceId, connId, waiting: new Map() };
    let ready = false;
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) return;
      let frame: Frame;
      try {
        frame = decodeFrame(data);
      } catch {
        return;
      }
      const type = headerOf(frame, 'type');
      if (frame.method === METHOD_CONTROL && type === 'ping') {
        if (!ready && socket.readyState === socket.OPEN) {
          ready = true;
          this.byApp.set(appId, [...(this.byApp.get(appId) ?? []), live]);
          onReady();
        }
        this.send(live, {
          SeqID: 0, LogID: 0, service: frame.service, method: METHOD_CONTROL, headers: [{ key: 'type', value: 'pong' }],
          payload: new TextEncoder().encode(JSON.stringify(this.clientConfig)),
        });
      } else if (frame.method === METHOD_DATA) {
        const messageId = headerOf(frame, 'message_id');
        const settle = messageId === undefined ? undefined : live.waiting.get(messageId);
        if (!settle) return;
        live.waiting.delete(messageId!);
        const text = frame.payload ? new TextDecoder().decode(frame.payload).slice(0, ACK_KEPT) : '';
        let code: unknown;
        try {
          code = (JSON.parse(text) as { code?: unknown }).code;
        } catch {
          code = undefined;
        }
        settle(code === 200 ? { ok: true, status: 200, responseBody: text }
          : { ok: false, note: typeof code === 'number' ? `the client answered code ${code}` : 'the client answered without a code', ...(typeof code === 'number' ? { status: code } : {}), responseBody: text });
      }
    });
    socket.on('close', () => {
      if (!ready) return;
      const rest = (this.byApp.get(appId) ?? []).filter((l) => l !== live);
      if (rest.length === 0) this.byApp.delete(appId);
      else this.byApp.set(appId, rest);
      for (const settle of live.waiting.values()) settle({ ok: false, note: 'the long connection closed before the client acknowledged', dropped: true });
      live.waiting.clear();
    });
    socket.on('error', () => socket.terminate());
  }

  /**
   * Sends an event (plaintext envelope) over one of the app's connections and waits up to `timeoutMs`
   * for the acknowledgement; undefined when the app has no live connection here.
   */
  async deliver(appId: string, body: string, timeoutMs: number): Promise<{ outcome: WsSendOutcome; messageId: string; connId: string } | undefined> {
    const lives = this.byApp.get(appId);
    if (!lives || lives.length === 0) return undefined;
    const live = lives[this.turn++ % lives.length];
    const messageId = randomBytes(16).toString('hex');
    const outcome = await new Promise<WsSendOutcome>((resolve) => {
      const timer = setTimeout(() => {
        live.waiting.delete(messageId);
        resolve({ ok: false, note: `no acknowledgement within ${timeoutMs} ms` });
      }, timeoutMs);
      timer.unref();
      live.waiting.set(messageId, (o) => {
        clearTimeout(timer);
        resolve(o);
      });
      this.seq = (this.seq + 1) % Number.MAX_SAFE_INTEGER;
      this.send(live, {
        SeqID: this.seq, LogID: 0, service: live.serviceId, method: METHOD_DATA,
        headers: [
          { key: 'type', value: 'event' }, { key: 'message_id', value: messageId }, { key: 'sum', value: '1' }, { key: 'seq', value: '0' },
          { key: 'trace_id', value: randomBytes(8).toString('hex') },
        ],
        payload: new TextEncoder().encode(body),
      });
    });
    return { outcome, messageId, connId: live.connId };
  }

  /** Drops every connection of an app (tests: a network failure the SDK reconnects after). */
  drop(appId: string): number {
    const lives = this.byApp.get(appId) ?? [];
    for (const l of lives) l.socket.terminate();
    return lives.length;
  }

  private send(live: Live, frame: Frame): void {
    if (live.socket.readyState !== live.socket.OPEN) return;
    live.socket.send(encodeFrame(frame), { binary: true });
  }
}
