import { sql } from 'kysely';
import type { RawBuilder } from 'kysely';
import type { QuerySpecifics } from './database.js';

/** The LIKE escape character, bound as a parameter so no layer of quoting can eat it. */
export const LIKE_ESCAPE = '\\';

/** Escapes LIKE wildcards so a query matches literally. */
export const likeLiteral = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * `column` contains `query`, ignoring case in any script: both sides lower-cased by the store's
 * Unicode-aware function (`lowerFn`), then a LIKE with the query's wildcards escaped.
 */
export function containsIgnoringCase({ lowerFn }: QuerySpecifics, column: string, query: string): RawBuilder<boolean> {
  const lower = sql.raw(lowerFn);
  return sql<boolean>`${lower}(${sql.ref(column)}) like ${lower}(${`%${likeLiteral(query)}%`}) escape ${LIKE_ESCAPE}`;
}

/** `column` equals `text`, ignoring case in any script. */
export function equalsIgnoringCase({ lowerFn }: QuerySpecifics, column: string, text: string): RawBuilder<boolean> {
  const lower = sql.raw(lowerFn);
  return sql<boolean>`${lower}(${sql.ref(column)}) = ${lower}(${text})`;
}
