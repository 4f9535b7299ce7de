/** One message between the cluster primary and a worker about the sandbox. */
export interface SandboxMessage {
  readonly riliSandbox: string;
  /** Set on a call that wants an answer, and on that answer. */
  readonly id?: number;
  readonly body?: unknown;
  readonly ok?: boolean;
  readonly error?: string;
}

// A handler names the body type it expects; the sender agrees by the kind.
type Handler = (body: never) => unknown;

/**
 * Calls and answers over a cluster IPC channel (a worker's `process`, or the primary's `Worker`):
 * `call` sends and resolves with the other side's answer; `tell` sends without waiting; `on` answers a
 * kind. Messages on one channel arrive in order. When the other side goes away, pending calls resolve
 * with `undefined` (`close`), so nothing waits for a process that died.
 */
export class SandboxChannel {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly handlers = new Map<string, Handler>();

  constructor(private readonly send: (message: SandboxMessage) => void, listen: (receive: (message: unknown) => void) => void) {
    listen((raw) => {
      const message = raw as SandboxMessage | undefined;
      if (typeof message?.riliSandbox !== 'string') return;
      if (message.riliSandbox === 'reply') {
        const waiter = this.pending.get(message.id!);
        this.pending.delete(message.id!);
        if (message.ok) waiter?.resolve(message.body);
        else waiter?.reject(new Error(message.error ?? 'failed'));
        return;
      }
      const handler = this.handlers.get(message.riliSandbox);
      if (!handler) return;
      const { id } = message;
      void (async () => handler(message.body as never))().then(
        (body) => { if (id !== undefined) this.post({ riliSandbox: 'reply', id, ok: true, body }); },
        (error: unknown) => { if (id !== undefined) this.post({ riliSandbox: 'reply', id, ok: false, error: (error as Error)?.message ?? String(error) }); },
      );
    });
  }

  on(kind: string, handler: Handler): this {
    this.handlers.set(kind, handler);
    return this;
  }

  call<T>(kind: string, body?: unknown): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const id = ++this.nextId;
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.post({ riliSandbox: kind, id, body });
    });
  }

  tell(kind: string, body?: unknown): void {
    this.post({ riliSandbox: kind, body });
  }

  /** The other side is gone: every pending call resolves with undefined. */
  close(): void {
    for (const waiter of this.pending.values()) waiter.resolve(undefined);
    this.pending.clear();
  }

  private post(message: SandboxMessage): void {
    try {
      this.send(message);
    } catch {
      // The channel closed (the process is exiting): its calls are answered by close().
    }
  }
}
