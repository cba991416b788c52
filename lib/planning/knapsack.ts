/**
 * The load of one departure: a bounded knapsack in whole units and integer cm³, filled by
 * value density (saving per cm³), taking as many units of each SKU as fit before the next.
 *
 * Why not an exact dynamic programme: 10,000 SKUs over 64 m³ in cm³ is 6.4·10¹¹ cells. Why this
 * greedy is good enough: a unit is tiny beside a container (a T-shirt is 1.2 L of 64,000 L), and
 * the greedy leaves at most one unit's worth of the best remaining density unused. It also keeps
 * the promise a seller relies on — more capacity never lowers the saving: with items sorted by
 * density, G(i, C) = taken units of i × value + G(i+1, rest) never falls as C grows, because
 * whatever later (no denser) items fill in a gap smaller than one unit of i is worth less than
 * that unit of i (proved by induction over the items; checked by a property test).
 */

export interface KnapsackItem {
  readonly key: string;
  /** The most units worth loading. */
  readonly maxUnits: number;
  /** Positive integer volume of one unit. */
  readonly cm3: number;
  /** Positive integer value of one unit (minor units). */
  readonly value: number;
}

/**
 * Units to load per item key (items with 0 left out), within `capacityCm3`.
 * @example fillByDensity([{ key: 'A', maxUnits: 10, cm3: 1000, value: 50 }], 4500) // Map { 'A' => 4 }
 */
export function fillByDensity(items: readonly KnapsackItem[], capacityCm3: number): Map<string, number> {
  const sorted = [...items].sort((a, b) => b.value * a.cm3 - a.value * b.cm3 || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const out = new Map<string, number>();
  let left = Math.max(0, Math.floor(capacityCm3));
  for (const item of sorted) {
    if (item.maxUnits <= 0 || item.value <= 0) continue;
    const units = Math.min(item.maxUnits, Math.floor(left / item.cm3));
    if (units <= 0) continue;
    out.set(item.key, units);
    left -= units * item.cm3;
  }
  return out;
}
