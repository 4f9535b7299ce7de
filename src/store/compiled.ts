import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import type { Database } from './schema/index.js';

/** A value a compiled statement binds: a scalar, or a list (an `IN (...)`) whose length picks the statement. */
type Arg = string | number | null | undefined | readonly (string | number)[];

/** Stands for an argument while the statement is built; never a value rili stores (it begins with NUL). */
const MARK = '\u0000rili-arg:';

/** Lists longer than this are built per call: one kept statement per length would grow without bound. */
const MAX_KEPT_LIST = 8;

/** The SQL of every kept template, whatever the dialect: a bounded set of hot statements. */
const keptTexts = new Set<string>();

/**
 * Whether `sql` is the text of a kept compiled statement: one that runs on every request of a hot
 * path and is worth preparing once per connection where the driver can (PostgreSQL: postgres-open.ts).
 * The set is bounded: one text per statement, dialect and list length up to MAX_KEPT_LIST.
 */
export function isKeptStatement(sql: string): boolean {
  return keptTexts.has(sql);
}

interface Template {
  readonly compiled: CompiledQuery;
  /** For each bound parameter: which argument (and which item of a list) fills it, or -1 for a constant. */
  readonly slots: readonly (readonly [arg: number, item: number])[];
}

/**
 * A statement built and compiled once per database (and per length of each list argument), then run
 * with new arguments (a list longer than MAX_KEPT_LIST is built each time). Building and compiling a query with Kysely profiled at a third of a request's
 * CPU on the hottest paths (event get and patch); this keeps Kysely for writing the SQL and its
 * driver for running it (the same connection, transaction or snapshot `db` stands for), without
 * building it again per request.
 *
 * `build` must not branch on its arguments: it is called once with stand-ins for them, and every
 * argument must reach the statement as a bound value (a `where`, a `values`, a `set`). Undefined is
 * bound as null.
 */
export function compiledStatement<A extends Arg[], R>(build: (db: Kysely<Database>, ...args: A) => Compilable<R>): (db: Kysely<Database>, ...args: A) => Promise<R[]> {
  // One set of templates per dialect adapter: the SQL differs per database (placeholders, quoting).
  const byAdapter = new WeakMap<object, Map<string, Template>>();
  return async (db, ...args) => {
    const adapter = db.getExecutor().adapter;
    let templates = byAdapter.get(adapter);
    if (!templates) byAdapter.set(adapter, (templates = new Map<string, Template>()));
    const shape = args.map((a) => (Array.isArray(a) ? a.length : '')).join(',');
    let template = templates.get(shape);
    if (!template) {
      template = compile(db, build, args);
      if (!args.some((a) => Array.isArray(a) && a.length > MAX_KEPT_LIST)) {
        templates.set(shape, template);
        keptTexts.add(template.compiled.sql);
      }
    }
    const { compiled, slots } = template;
    const parameters = slots.map(([arg, item], i) => {
      if (arg < 0) return compiled.parameters[i];
      const a = args[arg];
      const value = item < 0 ? a : (a as readonly unknown[])[item];
      return value === undefined ? null : value;
    });
    const result = await db.executeQuery<R>({ ...compiled, parameters });
    return result.rows;
  };
}

function compile<A extends Arg[], R>(db: Kysely<Database>, build: (db: Kysely<Database>, ...args: A) => Compilable<R>, args: A): Template {
  const standIns = args.map((a, i) => (Array.isArray(a) ? a.map((_, j) => `${MARK}${i}.${j}`) : `${MARK}${i}`)) as A;
  const compiled = build(db, ...standIns).compile();
  const seen = new Set<number>();
  const slots = compiled.parameters.map((p): [number, number] => {
    if (typeof p !== 'string' || !p.startsWith(MARK)) return [-1, -1];
    const [arg, item] = p.slice(MARK.length).split('.');
    seen.add(Number(arg));
    return [Number(arg), item === undefined ? -1 : Number(item)];
  });
  // An argument the statement never binds was branched on or dropped: the template would be wrong.
  args.forEach((a, i) => {
    if (!seen.has(i) && !(Array.isArray(a) && a.length === 0)) throw new Error(`compiledStatement: argument ${i} is not bound in ${compiled.sql}`);
  });
  return { compiled, slots };
}
