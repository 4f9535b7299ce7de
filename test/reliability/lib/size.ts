/**
 * CI size by default; `RILI_SOAK=1` (npm run soak) makes every reliability test larger. A single
 * number can also be set through its own variable, e.g. RILI_CRASH_ROUNDS=50.
 */
export const SOAK = process.env.RILI_SOAK === '1';

export function sized(variable: string, ci: number, soak: number): number {
  const raw = process.env[variable];
  if (raw !== undefined && raw !== '') {
    const n = Number(raw);
    if (Number.isInteger(n) && n > 0) return n;
  }
  return SOAK ? soak : ci;
}

/** The seed of a run: RILI_TEST_SEED to repeat one, else fresh (printed by each test that uses it). */
export const RUN_SEED = process.env.RILI_TEST_SEED ? Number(process.env.RILI_TEST_SEED) : (Date.now() ^ (process.pid << 8)) >>> 0;

/** A small seeded PRNG (mulberry32): the same seed gives the same run. */
export function prng(seed: number): { next(): number; int(n: number): number; pick<T>(xs: readonly T[]): T; chance(p: number): boolean } {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (xs) => xs[Math.floor(next() * xs.length)],
    chance: (p) => next() < p,
  };
}
