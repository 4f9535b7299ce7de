/**
 * An error as one line of text for a person: its message without line breaks, or for an error
 * without one (a connection refused on every address of a host name is an AggregateError with an
 * empty message) its parts' messages, or its code.
 */
export function errorText(error: unknown): string {
  const e = error as { message?: unknown; errors?: unknown[]; code?: unknown; name?: unknown } | null | undefined;
  let text = typeof e?.message === 'string' ? e.message : String(error);
  if (!text && Array.isArray(e?.errors)) text = e.errors.map((x) => errorText(x)).filter(Boolean).join('; ');
  if (!text) {
    // A code or name that is not a string or number would print as [object Object]: skip it.
    const label = [e?.code, e?.name].find((x) => typeof x === 'string' || typeof x === 'number');
    text = label === undefined ? 'unknown error' : String(label);
  }
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
