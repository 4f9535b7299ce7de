import type { EventHub } from './event-hub.js';

export type Dialect = 'feishu' | 'dingtalk' | 'sandbox' | 'other';

/** Which API a path belongs to. */
export function dialectOf(url: string): Dialect {
  if (url.startsWith('/open-apis/')) return 'feishu';
  if (url.startsWith('/v1.0/') || url.startsWith('/oauth2/')) return 'dingtalk';
  if (url === '/rili' || url.startsWith('/rili/')) return 'sandbox';
  return 'other';
}

/** One API request and its answer, secrets already redacted. */
export interface JournalEntry {
  readonly seq: number;
  /** The log id the answer carried (X-Tt-Logid / X-Request-Id / DingTalk's requestid). */
  readonly id: string;
  /** When it arrived, by rili's (possibly virtual) clock. */
  readonly at_ms: number;
  readonly duration_ms: number;
  readonly dialect: Dialect;
  readonly method: string;
  /** Without the query. */
  readonly path: string;
  /** With the query, secrets redacted. */
  readonly url: string;
  readonly status: number;
  readonly tenant_key?: string;
  readonly app_id?: string;
  readonly user_id?: string;
  /** Set when a fault rule answered or delayed it: the rule's index in `GET /rili/v1/faults`. */
  readonly fault?: number;
  readonly request: { readonly headers: Record<string, unknown>; readonly body?: unknown };
  readonly response: { readonly headers: Record<string, unknown>; readonly body?: unknown };
}

export interface JournalLimits {
  /** Most entries kept (older ones are dropped first); 0 turns the journal off. */
  readonly maxEntries: number;
  /** Most bytes kept, counting each entry's JSON size. */
  readonly maxBytes: number;
  /** A body larger than this (as JSON) is kept as a truncated preview. */
  readonly maxBodyBytes: number;
}

export const DEFAULT_JOURNAL_LIMITS: JournalLimits = { maxEntries: 1000, maxBytes: 8 * 1024 * 1024, maxBodyBytes: 64 * 1024 };

export interface JournalFilter {
  readonly dialect?: string;
  /** An app id (Feishu app_id or DingTalk app_key). */
  readonly app?: string;
  /** rili's internal user id. */
  readonly user?: string;
  /** A prefix of the path, or a pattern with `*` (one segment) and `**` (any). */
  readonly path?: string;
  /** An exact status, or a class such as `4xx`. */
  readonly status?: string;
  /** Entries at or after this time (ms, rili's clock). */
  readonly since?: number;
  /** Entries with a larger seq: poll without seeing one twice. */
  readonly after?: number;
}

/** `*` one path segment, `**` anything, `:name` a segment (Fastify route syntax); anchored at both ends. */
export function pathPattern(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (c === '*') {
      source += '[^/]*';
    } else if (c === ':' && /[A-Za-z_]/.test(pattern[i + 1] ?? '')) {
      while (/[A-Za-z0-9_]/.test(pattern[i + 1] ?? '')) i++;
      source += '[^/]+';
    } else {
      source += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

/** A predicate for the filter; throws on a malformed one (the caller answers 400). */
export function entryMatcher(filter: JournalFilter): (entry: JournalEntry) => boolean {
  const path = filter.path === undefined ? undefined : /[*:]/.test(filter.path) ? pathPattern(filter.path) : filter.path;
  const status = filter.status?.toLowerCase();
  if (status !== undefined && !/^[1-5](\d\d|xx)$/.test(status)) throw new Error(`status must be a code like 429 or a class like 4xx, got ${filter.status}`);
  return (e) =>
    (filter.dialect === undefined || e.dialect === filter.dialect) &&
    (filter.app === undefined || e.app_id === filter.app) &&
    (filter.user === undefined || e.user_id === filter.user) &&
    (path === undefined || (typeof path === 'string' ? e.path.startsWith(path) : path.test(e.path))) &&
    (status === undefined || (status.endsWith('xx') ? String(e.status)[0] === status[0] : String(e.status) === status)) &&
    (filter.since === undefined || e.at_ms >= filter.since) &&
    (filter.after === undefined || e.seq > filter.after);
}

/** Keeps a body as it is when small, or a preview of its JSON text when not. */
export function boundedBody(body: unknown, maxBytes: number): unknown {
  if (body === undefined) return undefined;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  if (text === undefined || Buffer.byteLength(text) <= maxBytes) return body;
  return { truncated: true, bytes: Buffer.byteLength(text), preview: Buffer.from(text).subarray(0, maxBytes).toString('utf8') };
}

/**
 * An entry as the request hook hands it over: what is cheap now, and the rest (headers and bodies,
 * parsed, redacted and bounded) built only when someone reads the entry. Most entries are never
 * read, and building them profiled at several percent of a request's CPU.
 */
export interface JournalDraft {
  readonly head: Omit<JournalEntry, 'seq' | 'request' | 'response'>;
  /** An estimate of the entry's JSON size, made without building it: what the byte bound counts. */
  readonly bytes: number;
  /** Builds the request and response parts; called at most once. */
  readonly parts: () => Pick<JournalEntry, 'request' | 'response'>;
}

interface Kept {
  readonly seq: number;
  readonly bytes: number;
  entry?: JournalEntry;
  draft?: JournalDraft;
}

/** The entry of a kept item, built on first use. */
function entryOf(kept: Kept): JournalEntry {
  if (!kept.entry) {
    const draft = kept.draft!;
    kept.entry = { seq: kept.seq, ...draft.head, ...draft.parts() };
    kept.draft = undefined;
  }
  return kept.entry;
}

/**
 * The request journal: the latest requests in memory, bounded by count and bytes, per process (with
 * --workers each worker keeps its own, and the admin API gathers them through the primary). Each
 * recorded entry is also published to the live stream.
 *
 * `nextSeq` numbers the entries: 1, 2, 3… in one process; in a cluster, a time stamp unique and
 * increasing across the workers (see cluster-sandbox.ts), so `after` works on the gathered journal.
 */
export class RequestJournal {
  private entries: Kept[] = [];
  private head = 0;
  private bytes = 0;
  private seq = 0;

  constructor(readonly limits: JournalLimits, private readonly hub?: EventHub, private readonly nextSeq?: () => number) {}

  /** Records an entry (its seq is assigned here) and publishes it. */
  record(draft: Omit<JournalEntry, 'seq'>): JournalEntry {
    const entry: JournalEntry = { seq: this.nextSeq ? this.nextSeq() : ++this.seq, ...draft };
    this.keep({ seq: entry.seq, bytes: Buffer.byteLength(JSON.stringify(entry)), entry });
    return entry;
  }

  /** Records an entry whose headers and bodies are built when it is first read (or published to a listener). */
  recordDraft(draft: JournalDraft): void {
    this.keep({ seq: this.nextSeq ? this.nextSeq() : ++this.seq, bytes: draft.bytes, draft });
  }

  private keep(kept: Kept): void {
    this.entries.push(kept);
    this.bytes += kept.bytes;
    while (this.size > this.limits.maxEntries || (this.bytes > this.limits.maxBytes && this.size > 1)) {
      const dropped = this.entries[this.head];
      this.bytes -= dropped.bytes;
      // Its request and answer are let go now, not when the prefix is sliced off.
      dropped.draft = undefined;
      this.head++;
    }
    // Drop the evicted prefix now and then, not on every eviction.
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    // Built for the live stream only while someone listens.
    if (this.hub && this.hub.size > 0) {
      const entry = entryOf(kept);
      this.hub.publish({ type: 'request', id: entry.seq, data: entry });
    }
  }

  get size(): number {
    return this.entries.length - this.head;
  }

  get totalBytes(): number {
    return this.bytes;
  }

  /** Matching entries, oldest first, at most `limit` of the newest. */
  list(filter: JournalFilter, limit = Infinity): JournalEntry[] {
    const match = entryMatcher(filter);
    const out: JournalEntry[] = [];
    for (let i = this.head; i < this.entries.length; i++) {
      const entry = entryOf(this.entries[i]);
      if (match(entry)) out.push(entry);
    }
    return out.length > limit ? out.slice(out.length - limit) : out;
  }

  clear(): number {
    const dropped = this.size;
    this.entries = [];
    this.head = 0;
    this.bytes = 0;
    return dropped;
  }
}
