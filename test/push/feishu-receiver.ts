import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as lark from '@larksuiteoapi/node-sdk';

export const PUSH_EVENT_TYPES = [
  'calendar.calendar.event.changed_v4', 'calendar.calendar.changed_v4', 'calendar.calendar.acl.created_v4', 'calendar.calendar.acl.deleted_v4',
] as const;

/** What the SDK handed a handler: the flattened envelope (header fields and event fields). */
export type Received = Record<string, any> & { event_type: string };

const noop = () => {};
const SILENT = { error: noop, warn: noop, info: noop, debug: noop, trace: noop };

/**
 * An app's event receiver built only from the official SDK: `adaptDefault` + `EventDispatcher` on a
 * loopback port. Every handled event is kept, in arrival order.
 */
export class SdkReceiver {
  readonly received: Received[] = [];
  private waiters: Array<() => void> = [];
  private constructor(private readonly server: Server, readonly url: string) {}

  static async start(options: { encryptKey?: string; verificationToken?: string; path?: string }): Promise<SdkReceiver> {
    const path = options.path ?? '/webhook/event';
    const dispatcher = new lark.EventDispatcher({
      ...(options.encryptKey ? { encryptKey: options.encryptKey } : {}),
      ...(options.verificationToken ? { verificationToken: options.verificationToken } : {}),
      loggerLevel: lark.LoggerLevel.fatal, logger: SILENT,
    });
    // Assigned once the server listens; the handlers below close over it before then.
    // eslint-disable-next-line prefer-const
    let receiver: SdkReceiver | undefined;
    const handlers: Record<string, (data: Received) => Promise<string>> = {};
    for (const type of PUSH_EVENT_TYPES) {
      handlers[type] = async (data) => {
        receiver!.received.push({ ...data });
        for (const w of receiver!.waiters.splice(0)) w();
        return 'ok';
      };
    }
    dispatcher.register(handlers as never);
    const server = createServer(lark.adaptDefault(path, dispatcher, { autoChallenge: true }) as never);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    receiver = new SdkReceiver(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`);
    return receiver;
  }

  /** Waits until `count` events arrived (up to `ms`), then hands all of them over and forgets them. */
  async take(count: number, ms = 10_000): Promise<Received[]> {
    const deadline = performance.now() + ms;
    while (this.received.length < count && performance.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, deadline - performance.now()));
        this.waiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
    return this.received.splice(0);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}
