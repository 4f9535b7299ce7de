/**
 * U+0000 in text: PostgreSQL cannot store it, and no platform field needs it. Refused as bad input
 * in the path, the query and the body alike, before any handler runs.
 */
const MAX_VALUES = 100_000;

/** The first place a NUL character appears, as a field path, or undefined. */
export function findNul(value: unknown, root: string): string | undefined {
  const stack: Array<[unknown, string]> = [[value, root]];
  let seen = 0;
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    // Bodies past this size are refused elsewhere; stop looking rather than spend the time.
    if (++seen > MAX_VALUES) return undefined;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return path;
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => stack.push([x, `${path}[${i}]`]));
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (k.includes('\u0000')) return path;
        stack.push([x, path ? `${path}.${k}` : k]);
      }
    }
  }
  return undefined;
}

/** A 400 that each dialect's error handler turns into its own bad-input answer. */
export class NulCharacterError extends Error {
  readonly statusCode = 400;
  constructor(readonly field: string) {
    super(`${field}: must not contain the NUL character (U+0000)`);
  }
}
