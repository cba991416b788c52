/**
 * ROUTING.md §3, "split". The split search: the order's lines divided into shipments on distinct routes, each priced as
 * its own shipment (its own consignment for duty), total = sum, ETA = the latest part.
 *
 * Up to MAX_EXACT_LINES lines the search is exhaustive over set partitions of the lines. It
 * memoises, per subset of lines (a bitmask), every feasible route for that subset sorted by
 * price, and a lower bound per subset (the cheapest way to ship it ignoring that parts need
 * distinct routes, a subset DP in O(3^n)). A depth-first search then builds partitions block
 * by block (each block holds the lowest remaining line, so every partition is met once),
 * assigns each block a route not used by another block, and prunes a branch as soon as its
 * cost plus the bound of what is left exceeds the best split found.
 *
 * Beyond MAX_EXACT_LINES lines, a heuristic: each line is priced alone on every route and the
 * lines are grouped by the route that is best for them alone (the smallest groups merged until
 * at most MAX_EXACT_LINES remain); the exact search then runs over those groups as if each
 * were one line. It finds the natural splits (e.g. the lines a warehouse holds vs the rest) but
 * never divides lines that are best on the same route.
 *
 * Stock and capacity: parts sit on distinct routes, so no two parts draw on the same
 * warehouse's stock or the same departure's capacity, and each part is checked against the
 * full amount available — a split never takes more than exists in total.
 */
import { compareQuotes, type Plan } from './choosing.ts';
import { routeIds } from './decision.ts';
import { makePart, type OrderCtx, type Quote } from './shipment.ts';
import { evaluate } from './sources.ts';

/** Exhaustive search up to this many lines (Bell(8) = 4140 partitions). */
export const MAX_EXACT_LINES = 8;

/** `split:<id>+<id>` with the part route ids sorted. */
export function splitRouteId(parts: readonly Quote[]): string {
  return routeIds.split(parts.map((p) => p.routeId));
}

/** The best split of the order into ≥ 2 shipments, or undefined when none is feasible. */
export function bestSplit(ctx: OrderCtx): Plan | undefined {
  const groups = groupLines(ctx);
  if (groups === undefined || groups.length < 2) return undefined;
  const full = (1 << groups.length) - 1;
  const heuristic = ctx.lines.length > MAX_EXACT_LINES;

  // Every feasible route per proper subset, cheapest first.
  const quotes: Quote[][] = new Array<Quote[]>(full);
  const cheapest = new Float64Array(full).fill(Infinity);
  for (let mask = 1; mask < full; mask++) {
    const lines: number[] = [];
    for (let g = 0; g < groups.length; g++) if ((mask & (1 << g)) !== 0) lines.push(...groups[g]!);
    if (heuristic) lines.sort((a, b) => a - b);
    const part = makePart(ctx, lines);
    const list: Quote[] = [];
    for (const src of ctx.sources) {
      const q = evaluate(ctx, src, part, null);
      if (q !== undefined) list.push(q);
    }
    list.sort(compareQuotes);
    quotes[mask] = list;
    if (list.length > 0) cheapest[mask] = list[0]!.total;
  }

  // Lower bound per proper subset: best partition cost when routes may repeat.
  const bound = new Float64Array(full).fill(Infinity);
  bound[0] = 0;
  for (let m = 1; m < full; m++) {
    const low = m & -m;
    const rest = m ^ low;
    let v = Infinity;
    for (let sub = rest; ; sub = (sub - 1) & rest) {
      const block = sub | low;
      const c = cheapest[block]! + bound[m ^ block]!;
      if (c < v) v = c;
      if (sub === 0) break;
    }
    bound[m] = v;
  }

  let best: Plan | undefined;
  const stack: Quote[] = [];
  const leaf = (total: number): void => {
    let etaLo = -Infinity;
    let etaHi = -Infinity;
    for (const q of stack) {
      if (q.etaLo > etaLo) etaLo = q.etaLo;
      if (q.etaHi > etaHi) etaHi = q.etaHi;
    }
    if (best !== undefined) {
      // Decide without building the id string unless everything else ties.
      const d = total - best.total || etaHi - best.etaHi || stack.length - best.parts.length;
      if (d > 0) return;
      if (d === 0 && splitRouteId(stack) >= best.routeId) return;
    }
    best = { routeId: splitRouteId(stack), parts: [...stack], total, etaLo, etaHi };
  };
  const used = (routeId: string): boolean => {
    for (const q of stack) if (q.routeId === routeId) return true;
    return false;
  };
  const search = (remaining: number, cost: number): void => {
    if (remaining === 0) {
      leaf(cost);
      return;
    }
    const low = remaining & -remaining;
    const rest = remaining ^ low;
    for (let sub = rest; ; sub = (sub - 1) & rest) {
      const block = sub | low;
      const after = remaining ^ block;
      if (block !== full && bound[after] !== Infinity) {
        const afterBound = bound[after]!;
        for (const q of quotes[block]!) {
          const c = cost + q.total;
          // Quotes are sorted by total: once one cannot beat the best split, none after it can.
          if (best !== undefined && c + afterBound > best.total) break;
          if (used(q.routeId)) continue;
          stack.push(q);
          search(after, c);
          stack.pop();
        }
      }
      if (sub === 0) break;
    }
  };
  search(full, 0);
  return best;
}

/** The units the search divides: single lines, or for large orders the heuristic's groups. */
function groupLines(ctx: OrderCtx): number[][] | undefined {
  const n = ctx.lines.length;
  if (n <= MAX_EXACT_LINES) return ctx.lines.map((_, i) => [i]);
  const bySource = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const part = makePart(ctx, [i]);
    let best: Quote | undefined;
    let bestSource = -1;
    ctx.sources.forEach((src, s) => {
      const q = evaluate(ctx, src, part, null);
      if (q !== undefined && (best === undefined || compareQuotes(q, best) < 0)) {
        best = q;
        bestSource = s;
      }
    });
    // A line no route can carry alone cannot be carried in any part: no split is feasible.
    if (best === undefined) return undefined;
    const list = bySource.get(bestSource) ?? [];
    list.push(i);
    bySource.set(bestSource, list);
  }
  const groups = [...bySource.entries()].sort((a, b) => a[0] - b[0]).map(([, lines]) => lines);
  while (groups.length > MAX_EXACT_LINES) {
    // Merge the two smallest groups (ties: the one holding the earlier line first).
    const order = groups
      .map((g, i) => ({ i, size: g.length, first: g[0]! }))
      .sort((a, b) => a.size - b.size || a.first - b.first);
    const [a, b] = [order[0]!.i, order[1]!.i].sort((x, y) => x - y) as [number, number];
    groups[a] = [...groups[a]!, ...groups[b]!].sort((x, y) => x - y);
    groups.splice(b, 1);
  }
  return groups;
}
