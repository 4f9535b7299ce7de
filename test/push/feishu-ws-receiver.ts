import * as lark from '@larksuiteoapi/node-sdk';
import { TEST_SEED } from '../helpers/seed.js';
import { PUSH_EVENT_TYPES } from './feishu-receiver.js';
import type { Received } from './feishu-receiver.js';

/** The SDK's WSClient only starts for app ids of Feishu's shape (cli_ and 16 hex digits). */
export const WS_APP = 'cli_a1b2c3d4e5f60718';
export const WS_SECRET = 'ws-app-secret';

/** The test seed with one more app of acme's, whose id the WSClient accepts. */
export const WS_SEED = {
  ...TEST_SEED,
  tenants: TEST_SEED.tenants.map((t) => t.tenant_key !== 'acme' ? t
    : { ...t, apps: [...(t.apps ?? []), { platform: 'feishu' as const, app_id: WS_APP, app_secret: WS_SECRET, name: 'Acme Long Connection' }] }),
};

const noop = () => {};
const SILENT = { error: noop, warn: noop, info: noop, debug: noop, trace: noop };

/**
 * An app's receiver over Feishu's long connection, built only from the official SDK: `WSClient` +
 * `EventDispatcher`. Every handled event is kept in arrival order; `fail` makes the handler throw
 * (the SDK then acknowledges with code 500).
 */
export class SdkWsReceiver {
  readonly received: Received[] = [];
  /** How many of the next events the handler throws on. */
  fail = 0;
  readonly errors: Error[] = [];
  private waiters: Array<() => void> = [];
  private client: lark.WSClient | undefined;

  constructor(private readonly domain: string, private readonly appId: string, private readonly appSecret: string) {}

  /** Starts the SDK's client; resolves when it is connected (onReady) or gave up (onError). */
  async start(): Promise<void> {
    const dispatcher = new lark.EventDispatcher({ loggerLevel: lark.LoggerLevel.fatal, logger: SILENT });
    const handlers: Record<string, (data: Received) => Promise<string>> = {};
    for (const type of PUSH_EVENT_TYPES) {
      handlers[type] = async (data) => {
        if (this.fail > 0) {
          this.fail -= 1;
          throw new Error('the handler failed on purpose');
        }
        this.received.push({ ...data });
        for (const w of this.waiters.splice(0)) w();
        return 'ok';
      };
    }
    dispatcher.register(handlers as never);
    await new Promise<void>((resolve) => {
      this.client = new lark.WSClient({
        appId: this.appId, appSecret: this.appSecret, domain: this.domain, loggerLevel: lark.LoggerLevel.fatal, logger: SILENT,
        onReady: () => resolve(),
        onError: (e: Error) => {
          this.errors.push(e);
          resolve();
        },
      });
      void this.client.start({ eventDispatcher: dispatcher });
    });
  }

  /** The SDK's view of its connection. */
  state(): string {
    return (this.client as unknown as { getConnectionStatus(): { state: string } }).getConnectionStatus().state;
  }

  /** Waits until `count` events arrived (up to `ms`), then hands all of them over and forgets them. */
  async take(count: number, ms = 15_000): Promise<Received[]> {
    const deadline = performance.now() + ms;
    while (this.received.length < count && performance.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, deadline - performance.now()));
        this.waiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
    return this.received.splice(0);
  }

  close(): void {
    this.client?.close({ force: true });
  }
}
