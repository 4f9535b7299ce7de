import { sql } from 'kysely';
import type { RawBuilder } from 'kysely';
import type { StoreCapabilities } from './capabilities.js';

/** The LIKE escape character, bound as a parameter so no layer of quoting can eat it. */
export const LIKE_ESCAPE = '\\';

/** Escapes LIKE wildcards so a query matches literally. */
export const likeLiteral = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * `column` contains `query`, ignoring case in any script: both sides lower-cased by the store's
 * Unicode-aware function (`caps.lower`), then a LIKE with the query's wildcards escaped.
 */
export function containsIgnoringCase(caps: StoreCapabilities, column: string, query: string): RawBuilder<boolean> {
  const lower = sql.raw(caps.lower);
  return sql<boolean>`${lower}(${sql.ref(column)}) like ${lower}(${`%${likeLiteral(query)}%`}) escape ${LIKE_ESCAPE}`;
}

/** `column` equals `text`, ignoring case in any script. */
export function equalsIgnoringCase(caps: StoreCapabilities, column: string, text: string): RawBuilder<boolean> {
  const lower = sql.raw(caps.lower);
  return sql<boolean>`${lower}(${sql.ref(column)}) = ${lower}(${text})`;
}
