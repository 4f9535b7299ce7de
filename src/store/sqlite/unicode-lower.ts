/**
 * Lower-cases text in every script, letter by letter as PostgreSQL's lower() does under a glibc
 * UTF-8 locale (SQLite's own lower() and LIKE fold ASCII only). Two letters differ from plain
 * `toLowerCase()`: Σ becomes σ wherever it stands (JavaScript writes ς at a word's end, which would
 * then miss a query typed with σ), and İ becomes i (JavaScript adds a combining dot). Checked against
 * PostgreSQL 15 on C.UTF-8 over the whole BMP: these two and a few letters newer than glibc's tables.
 */
export function unicodeLower(text: string): string {
  return (SPECIAL.test(text) ? text.replace(SPECIAL_ALL, (c) => (c === '\u03a3' ? '\u03c3' : 'i')) : text).toLowerCase();
}

const SPECIAL = /[\u0130\u03a3]/;
const SPECIAL_ALL = /[\u0130\u03a3]/g;

/** The SQL name rili registers `unicodeLower` under on every SQLite connection. */
export const UNICODE_LOWER_SQL = 'rili_lower';
