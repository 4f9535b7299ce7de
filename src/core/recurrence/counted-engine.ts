/**
 * COUNT series. COUNT counts occurrences from the start, so the first COUNT wall times are
 * materialized once and later range queries slice them.
 *
 * Two wall times can land on one instant when a DST gap shifts one forward (HOURLY, or several
 * BYHOUR/BYMINUTE times on the spring-forward day). Such a duplicate is not an occurrence of its
 * own — RFC 5545 says a nonexistent local time must not be counted — so more wall times are
 * fetched until COUNT distinct instants are found or the rule runs out.
 *
 * When the series' start is an occurrence of its own (RFC 5545: DTSTART counts as the first), the
 * caller asks for COUNT - 1 wall times strictly after the start's instant (`after`): a rule that
 * yields the start itself does not count it twice.
 */
import type { WallEngine, WorkBudget } from './budget.js';

/** Produces the first `n` wall times of a rule (ascending), fewer if the rule ends first. */
export type FirstWalls = (n: number, budget: WorkBudget) => number[];

export function countedEngine(first: FirstWalls, count: number, toEpoch: (wall: number) => number, after = Number.NEGATIVE_INFINITY): WallEngine {
  let walls: number[] | undefined;
  const materialize = (budget: WorkBudget): number[] => {
    if (count <= 0) return [];
    // One more when the start is an occurrence of its own: the rule may yield it too, and fetching
    // again for it would materialize the whole COUNT twice.
    let want = after === Number.NEGATIVE_INFINITY ? count : count + 1;
    for (;;) {
      const candidates = first(want, budget);
      const seen = new Set<number>();
      const distinct = candidates.filter((w) => {
        const epoch = toEpoch(w);
        if (epoch <= after || seen.has(epoch)) return false;
        seen.add(epoch);
        return true;
      });
      if (distinct.length >= count || candidates.length < want) return distinct.slice(0, count);
      want += count - distinct.length;
    }
  };
  return {
    range(from, to, budget) {
      walls ??= materialize(budget);
      return walls.slice(lowerBound(walls, from), lowerBound(walls, to));
    },
    lastWall(budget) {
      walls ??= materialize(budget);
      return walls.length > 0 ? walls[walls.length - 1] : null;
    },
  };
}

function lowerBound(values: readonly number[], x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
