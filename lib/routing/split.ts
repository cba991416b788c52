/**
 * ROUTING.md §3, "split". The order's lines divided into shipments, each priced as its own
 * shipment (its own parcel for weight, size, freight, tariff lines and fees), total = sum, ETA =
 * the latest part. A parcel service may carry several parcels of one order
 * (`split:direct:CN-STD+direct:CN-STD`); a warehouse or a departure carries at most one part,
 * since parts from one warehouse or on one departure would be one shipment (ADR 0033).
 *
 * Up to MAX_EXACT_LINES lines the search is exhaustive over set partitions of the lines. It
 * memoises, per subset of lines (a bitmask), every feasible route for that subset sorted by
 * price, and a lower bound per subset (the cheapest way to ship it when every route may repeat,
 * a subset DP in O(3^n)). A depth-first search then builds partitions block by block (each
 * block holds the lowest remaining line, so every partition is met once), gives each block a
 * route (a warehouse or departure not used by another block), and prunes a branch as soon as
 * its cost plus the bound of what is left exceeds the best split found.
 *
 * Beyond MAX_EXACT_LINES lines, a heuristic (ADR 0033) with a guarantee: it finds a feasible
 * split whenever each line alone has a feasible route and the lines no parcel service can carry
 * alone (the "bound" lines: only a warehouse or a train takes them) can be shipped as an order
 * of their own — which any feasible route for the whole order implies, so with at most
 * MAX_EXACT_LINES bound lines it misses no routable order. It works in three steps:
 * 1. the bound lines are routed first, exactly (as their own order, any number of parts) when
 *    they are at most MAX_EXACT_LINES, else greedily;
 * 2. the other lines are inserted heaviest first, each where it adds least: into an existing
 *    part, as a new parcel on any service (always possible: the line alone fits one), or as
 *    the one part of a warehouse or departure not used yet;
 * 3. a local search moves single lines, swaps two lines, merges or re-routes whole parts and
 *    trades a line into a warehouse's or train's part for one of its lines, while that lowers
 *    (total, latest ETA, shipments), keeping at least two parts.
 * Every plan it ever holds is feasible, so step 2's result is the guarantee and step 3 only
 * improves it.
 *
 * Stock and capacity: no two parts draw on the same warehouse's stock or the same departure's
 * capacity, and each part is checked against the full amount available — a split never takes
 * more than exists in total. Parcels share nothing, so a service may repeat.
 */
import { compareQuotes, type Plan } from './choosing.ts';
import { routeIds } from './decision.ts';
import { makePart, type OrderCtx, type Quote, type Source } from './shipment.ts';
import { evaluate } from './sources.ts';

/** Exhaustive search up to this many lines (Bell(8) = 4140 partitions). */
export const MAX_EXACT_LINES = 8;

export interface SplitOptions {
  /** Use the heuristic whatever the number of lines (to compare it with the exhaustive search). */
  readonly heuristic?: boolean;
}

/** `split:<id>+<id>` with the part route ids sorted. */
export function splitRouteId(parts: readonly Quote[]): string {
  return routeIds.split(parts.map((p) => p.routeId));
}

/** The best split of the order into ≥ 2 shipments, or undefined when none is feasible (or, beyond 8 lines, none was found). */
export function bestSplit(ctx: OrderCtx, options: SplitOptions = {}): Plan | undefined {
  const n = ctx.lines.length;
  if (n < 2) return undefined;
  if (n > MAX_EXACT_LINES || options.heuristic === true) return heuristicSplit(ctx);
  return exactPlan(ctx, ctx.lines.map((_, i) => [i]), 2, NONE);
}

const NONE: ReadonlySet<Source> = new Set();

/** Whether two parts on `src` would be one shipment (a warehouse, a departure), so a plan may hold one part on it. */
function exclusive(src: Source): boolean {
  return src.kind !== 'direct';
}

function planOf(parts: readonly Quote[], total: number): Plan {
  let etaLo = -Infinity;
  let etaHi = -Infinity;
  for (const q of parts) {
    if (q.etaLo > etaLo) etaLo = q.etaLo;
    if (q.etaHi > etaHi) etaHi = q.etaHi;
  }
  return { routeId: parts.length === 1 ? parts[0]!.routeId : splitRouteId(parts), parts, total, etaLo, etaHi };
}

/**
 * The best plan of at least `minParts` shipments for `units` (≤ 31 of them, each a set of lines
 * kept together: one line each in the exhaustive search), every partition searched, never
 * using a source in `blocked`. Ties as ROUTING.md §4; among partitions that tie
 * on all of it, the first met (blocks by their lowest line).
 */
function exactPlan(ctx: OrderCtx, units: readonly (readonly number[])[], minParts: 1 | 2, blocked: ReadonlySet<Source>): Plan | undefined {
  const k = units.length;
  const grouped = units.some((u) => u.length !== 1);
  if (k < minParts) return undefined;
  const full = (1 << k) - 1;

  // Every feasible route per subset, cheapest first.
  const quotes: Quote[][] = new Array<Quote[]>(full + 1);
  const cheapest = new Float64Array(full + 1).fill(Infinity);
  const top = minParts === 1 ? full : full - 1;
  for (let mask = 1; mask <= top; mask++) {
    const idx: number[] = [];
    for (let g = 0; g < k; g++) if ((mask & (1 << g)) !== 0) idx.push(...units[g]!);
    if (grouped) idx.sort((a, b) => a - b);
    const part = makePart(ctx, idx);
    const list: Quote[] = [];
    for (const src of ctx.sources) {
      if (blocked.has(src)) continue;
      const q = evaluate(ctx, src, part, null);
      if (q !== undefined) list.push(q);
    }
    list.sort(compareQuotes);
    quotes[mask] = list;
    if (list.length > 0) cheapest[mask] = list[0]!.total;
  }

  // Lower bound per subset: best partition cost when every route may repeat.
  const bound = new Float64Array(full + 1).fill(Infinity);
  bound[0] = 0;
  for (let m = 1; m <= top; m++) {
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
    if (stack.length < minParts) return;
    let etaHi = -Infinity;
    for (const q of stack) if (q.etaHi > etaHi) etaHi = q.etaHi;
    if (best !== undefined) {
      // Decide without building the id string unless everything else ties.
      const d = total - best.total || etaHi - best.etaHi || stack.length - best.parts.length;
      if (d > 0) return;
      if (d === 0 && planOf(stack, total).routeId >= best.routeId) return;
    }
    best = planOf([...stack], total);
  };
  const taken = (q: Quote): boolean => {
    if (!exclusive(q.src)) return false;
    for (const p of stack) if (p.routeId === q.routeId) return true;
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
      if (block <= top && bound[after] !== Infinity) {
        const afterBound = bound[after]!;
        for (const q of quotes[block]!) {
          const c = cost + q.total;
          // Quotes are sorted by total: once one cannot beat the best split, none after it can.
          if (best !== undefined && c + afterBound > best.total) break;
          if (taken(q)) continue;
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

/** One shipment of the heuristic's plan: its lines (ascending) and their quote on its source. */
interface Slot {
  readonly src: Source;
  readonly lines: readonly number[];
  readonly quote: Quote;
}

/** The heuristic of the file comment: bound lines first, the rest inserted, then local search. */
function heuristicSplit(ctx: OrderCtx): Plan | undefined {
  const n = ctx.lines.length;
  const price = (src: Source, lines: readonly number[]): Quote | undefined => evaluate(ctx, src, makePart(ctx, lines), null);

  // Each line alone on every source. A line no route carries alone is in no feasible part.
  const alone: (Quote | undefined)[][] = [];
  const bound: number[] = [];
  const free: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = ctx.sources.map((src) => price(src, [i]));
    if (!row.some((q) => q !== undefined)) return undefined;
    alone.push(row);
    if (row.some((q, s) => q !== undefined && ctx.sources[s]!.kind === 'direct')) free.push(i);
    else bound.push(i);
  }

  let slots: Slot[] = [];
  // 1. The bound lines, as an order of their own.
  if (bound.length > 0) {
    const minParts = free.length === 0 ? 2 : 1;
    if (bound.length <= MAX_EXACT_LINES) {
      const plan = exactPlan(ctx, bound.map((i) => [i]), minParts, NONE);
      if (plan === undefined) return undefined;
      slots = plan.parts.map((q) => ({ src: q.src, lines: q.part.lines, quote: q }));
    } else {
      // Most constrained first: the fewest sources that take the line alone.
      const order = [...bound].sort((a, b) => count(alone[a]!) - count(alone[b]!) || a - b);
      for (const i of order) {
        const next = insert(ctx, slots, i, alone[i]!, price);
        if (next === undefined) return undefined;
        slots = next;
      }
    }
  }
  // 2. The other lines, heaviest first.
  const heavy = [...free].sort((a, b) => weightOf(ctx, b) - weightOf(ctx, a) || a - b);
  for (const i of heavy) slots = insert(ctx, slots, i, alone[i]!, price)!; // a new parcel always takes a free line
  // 3. Improve. Two descents: one kept at two parts or more all the way, one free to pass
  //    through a single shipment (then the cheapest line split off and descended again), and
  //    one from the lines grouped by the route best for each alone; the best result wins.
  const results: Slot[][] = [];
  if (slots.length >= 2) results.push(improve(ctx, slots, alone, price, 2));
  const loose = improve(ctx, slots, alone, price, 1);
  results.push(loose.length >= 2 ? loose : improve(ctx, splitOff(ctx, loose, alone, price), alone, price, 2));
  const grouped = groupedStart(ctx, alone);
  if (grouped !== undefined) results.push(improve(ctx, grouped, alone, price, 2));
  let best: Slot[] | undefined;
  for (const r of results) if (r.length >= 2 && (best === undefined || better(scoreOf(r), scoreOf(best)))) best = r;
  if (best === undefined) return undefined;
  // 4. Kicks: each warehouse or train part of the best plan dissolved, its lines inserted again
  //    (heaviest first, the source itself left out), and the descent rerun; the best plan wins.
  for (const src of best.filter((s) => exclusive(s.src)).map((s) => s.src)) {
    const kicked = best.find((s) => s.src === src);
    if (kicked === undefined) continue;
    let start: Slot[] | undefined = best.filter((s) => s !== kicked);
    const row = (i: number) => alone[i]!.map((q, k) => (ctx.sources[k] === kicked.src ? undefined : q));
    for (const i of [...kicked.lines].sort((a, b) => weightOf(ctx, b) - weightOf(ctx, a) || a - b)) {
      start = start === undefined ? undefined : insert(ctx, start, i, row(i), price);
    }
    if (start === undefined) continue;
    const r = improve(ctx, start.length >= 2 ? start : splitOff(ctx, start, alone, price), alone, price, 2);
    if (r.length >= 2 && better(scoreOf(r), scoreOf(best))) best = r;
  }
  //    And each warehouse or train filled (move e.) to its best state even when that is dearer,
  //    then the descent rerun from there.
  for (const src of ctx.sources) {
    if (!exclusive(src)) continue;
    const start = fill(ctx, best, src, alone, price, 2);
    if (start === undefined) continue;
    const r = improve(ctx, start, alone, price, 2);
    if (better(scoreOf(r), scoreOf(best))) best = r;
  }
  const parts = [...best].sort((a, b) => a.lines[0]! - b.lines[0]!).map((s) => s.quote);
  return planOf(parts, parts.reduce((s, q) => s + q.total, 0));
}

/**
 * A start from the lines grouped by the source best for each alone (a parcel service's group
 * packed into parcels under its weight limit, heaviest first), merged down to MAX_EXACT_LINES
 * groups, and the exhaustive search over the groups as if each were one line. Undefined when
 * that finds no split of at least two parts.
 */
function groupedStart(ctx: OrderCtx, alone: readonly (Quote | undefined)[][]): Slot[] | undefined {
  const bySource = new Map<number, number[]>();
  alone.forEach((row, i) => {
    let s = -1;
    row.forEach((q, k) => {
      if (q !== undefined && (s === -1 || compareQuotes(q, row[s]!) < 0)) s = k;
    });
    const list = bySource.get(s) ?? [];
    list.push(i);
    bySource.set(s, list);
  });
  const groups: number[][] = [];
  for (const [s, lines] of [...bySource.entries()].sort((a, b) => a[0] - b[0])) {
    const src = ctx.sources[s]!;
    if (src.kind !== 'direct') {
      groups.push(lines);
      continue;
    }
    const bins: { lines: number[]; g: number }[] = [];
    for (const i of [...lines].sort((a, b) => weightOf(ctx, b) - weightOf(ctx, a) || a - b)) {
      const w = weightOf(ctx, i);
      const bin = bins.find((b) => b.g + w <= src.svc.maxWeightG);
      if (bin === undefined) bins.push({ lines: [i], g: w });
      else {
        bin.lines.push(i);
        bin.g += w;
      }
    }
    for (const b of bins) groups.push(b.lines.sort((x, y) => x - y));
  }
  while (groups.length > MAX_EXACT_LINES) {
    // Merge the two smallest groups (ties: the one holding the earlier line first).
    const order = groups.map((g, i) => ({ i, size: g.length, first: g[0]! })).sort((a, b) => a.size - b.size || a.first - b.first);
    const [a, b] = [order[0]!.i, order[1]!.i].sort((x, y) => x - y) as [number, number];
    groups[a] = [...groups[a]!, ...groups[b]!].sort((x, y) => x - y);
    groups.splice(b, 1);
  }
  if (groups.length < 2) return undefined;
  const plan = exactPlan(ctx, groups, 2, NONE);
  return plan?.parts.map((q) => ({ src: q.src, lines: q.part.lines, quote: q }));
}

type Price = (src: Source, lines: readonly number[]) => Quote | undefined;

function count(row: readonly (Quote | undefined)[]): number {
  let c = 0;
  for (const q of row) if (q !== undefined) c++;
  return c;
}

function weightOf(ctx: OrderCtx, i: number): number {
  const l = ctx.lines[i]!;
  return l.qty * l.sku.weightG;
}

function withLine(lines: readonly number[], i: number): number[] {
  const out = [...lines, i];
  out.sort((a, b) => a - b);
  return out;
}

function withoutLine(lines: readonly number[], i: number): number[] {
  return lines.filter((x) => x !== i);
}

/** Whether `src` may take a new part next to `slots` (a parcel service always; a warehouse or lane once). */
function open(slots: readonly Slot[], src: Source, except?: Slot): boolean {
  if (!exclusive(src)) return true;
  for (const s of slots) if (s !== except && s.src === src) return false;
  return true;
}

/** (total, latest ETA, shipments) of a plan, compared lexicographically. */
interface Score {
  readonly total: number;
  readonly etaHi: number;
  readonly parts: number;
}
function scoreOf(slots: readonly Slot[]): Score {
  let total = 0;
  let etaHi = -Infinity;
  for (const s of slots) {
    total += s.quote.total;
    if (s.quote.etaHi > etaHi) etaHi = s.quote.etaHi;
  }
  return { total, etaHi, parts: slots.length };
}
function better(a: Score, b: Score): boolean {
  return a.total < b.total || (a.total === b.total && (a.etaHi < b.etaHi || (a.etaHi === b.etaHi && a.parts < b.parts)));
}

/**
 * `slots` with line `i` added where it adds least: into an existing part, or as a new part on a
 * source that takes it alone and is open. Undefined when nothing takes it.
 */
function insert(ctx: OrderCtx, slots: readonly Slot[], i: number, alone: readonly (Quote | undefined)[], price: Price): Slot[] | undefined {
  let best: Slot[] | undefined;
  let bestScore: Score | undefined;
  const consider = (next: Slot[]): void => {
    const s = scoreOf(next);
    if (bestScore === undefined || better(s, bestScore)) {
      best = next;
      bestScore = s;
    }
  };
  slots.forEach((slot, k) => {
    const lines = withLine(slot.lines, i);
    const q = price(slot.src, lines);
    if (q !== undefined) consider(slots.map((s, j) => (j === k ? { src: slot.src, lines, quote: q } : s)));
  });
  ctx.sources.forEach((src, s) => {
    const q = alone[s];
    if (q !== undefined && open(slots, src)) consider([...slots, { src, lines: [i], quote: q }]);
  });
  return best;
}

/** A one-part plan made two: the line and source whose new part costs least. */
function splitOff(ctx: OrderCtx, slots: readonly Slot[], alone: readonly (Quote | undefined)[][], price: Price): Slot[] {
  const only = slots[0];
  if (only === undefined || only.lines.length < 2) return [...slots];
  let best: Slot[] = [...slots];
  let bestScore: Score | undefined;
  for (const i of only.lines) {
    const rest = withoutLine(only.lines, i);
    const q = price(only.src, rest);
    if (q === undefined) continue;
    const kept: Slot = { src: only.src, lines: rest, quote: q };
    ctx.sources.forEach((src, s) => {
      const a = alone[i]![s];
      if (a === undefined || (exclusive(src) && src === only.src)) return;
      const next = [kept, { src, lines: [i], quote: a }];
      const score = scoreOf(next);
      if (bestScore === undefined || better(score, bestScore)) {
        best = next;
        bestScore = score;
      }
    });
  }
  return best;
}

/** The local search of step 3: apply the best improving move of each kind until none improves. */
function improve(ctx: OrderCtx, start: Slot[], alone: readonly (Quote | undefined)[][], price: Price, minParts: 1 | 2): Slot[] {
  let slots = start;
  let score = scoreOf(slots);
  const accept = (next: Slot[]): boolean => {
    const s = scoreOf(next);
    if (next.length < minParts || !better(s, score)) return false;
    slots = next;
    score = s;
    return true;
  };
  // Each accepted move lowers the score strictly, so this ends; the cap only bounds the time.
  for (let round = 0; round < 64; round++) {
    let moved = false;
    // a. one line to another part or to a new part
    for (let i = 0; i < ctx.lines.length; i++) {
      const from = slots.findIndex((s) => s.lines.includes(i));
      const slot = slots[from]!;
      const restLines = withoutLine(slot.lines, i);
      const rest = restLines.length === 0 ? undefined : price(slot.src, restLines);
      if (restLines.length > 0 && rest === undefined) continue;
      const others = slots.filter((_, j) => j !== from);
      const base = rest === undefined ? others : [...others.slice(0, from), { src: slot.src, lines: restLines, quote: rest }, ...others.slice(from)];
      const next = insert(ctx, base, i, alone[i]!, price);
      if (next !== undefined && accept(next)) moved = true;
    }
    // b. two lines of different parts swapped
    for (let a = 0; a < slots.length; a++) {
      for (let b = a + 1; b < slots.length; b++) {
        const A = slots[a]!;
        const B = slots[b]!;
        let swapped = false;
        for (const i of A.lines) {
          for (const j of B.lines) {
            const la = withLine(withoutLine(A.lines, i), j);
            const lb = withLine(withoutLine(B.lines, j), i);
            const qa = price(A.src, la);
            if (qa === undefined) continue;
            const qb = price(B.src, lb);
            if (qb === undefined) continue;
            const next = slots.map((s, k) => (k === a ? { src: A.src, lines: la, quote: qa } : k === b ? { src: B.src, lines: lb, quote: qb } : s));
            if (accept(next)) {
              moved = swapped = true;
              break;
            }
          }
          if (swapped) break;
        }
      }
    }
    // c. a whole part re-routed, or two parts merged, on any source open to it
    for (let a = 0; a < slots.length; a++) {
      for (let b = a; b < slots.length; b++) {
        if (a !== b && slots.length <= minParts) continue;
        const A = slots[a]!;
        const B = slots[b]!;
        const lines = a === b ? A.lines : [...A.lines, ...B.lines].sort((x, y) => x - y);
        const others = slots.filter((_, k) => k !== a && k !== b);
        for (const src of ctx.sources) {
          if (a === b && src === A.src) continue;
          if (!open(others, src)) continue;
          const q = price(src, lines);
          if (q !== undefined && accept([...others, { src, lines, quote: q }])) {
            moved = true;
            break;
          }
        }
        if (a >= slots.length || b >= slots.length) break;
      }
    }
    // d. an ejection chain: a line into a warehouse's or train's part, one of that part's lines out
    //    to wherever it adds least (what a full warehouse or last-mile band needs to change hands);
    //    once nothing cheaper improves, the line pushed out may push out one more
    const deep = !moved;
    for (let i = 0; i < ctx.lines.length; i++) {
      const from = slots.findIndex((s) => s.lines.includes(i));
      const A = slots[from]!;
      const aLines = withoutLine(A.lines, i);
      const qa = aLines.length === 0 ? undefined : price(A.src, aLines);
      if (aLines.length > 0 && qa === undefined) continue;
      let done = false;
      for (let b = 0; b < slots.length && !done; b++) {
        const B = slots[b]!;
        if (b === from || !exclusive(B.src)) continue;
        for (const j of B.lines) {
          const bLines = withLine(withoutLine(B.lines, j), i);
          const qb = price(B.src, bLines);
          if (qb === undefined) continue;
          const base: Slot[] = [];
          slots.forEach((s, k) => {
            if (k === b) base.push({ src: B.src, lines: bLines, quote: qb });
            else if (k !== from) base.push(s);
            else if (qa !== undefined) base.push({ src: A.src, lines: aLines, quote: qa });
          });
          const next = deep ? insertOrEject(ctx, base, j, alone, price) : insert(ctx, base, j, alone[j]!, price);
          if (next !== undefined && accept(next)) {
            moved = done = true;
            break;
          }
        }
      }
    }
    // e. a warehouse or train filled: lines pulled into its part (opened if need be) one by one,
    //    the line that saves most (or costs least) first, on to the last line that fits, keeping
    //    the best plan passed on the way
    for (const src of ctx.sources) {
      if (!exclusive(src)) continue;
      const found = fill(ctx, slots, src, alone, price, minParts);
      if (found !== undefined && accept(found)) moved = true;
    }
    // f. a part dissolved and its lines inserted again, each where it adds least, allowed to
    //    push one line out of a warehouse's or train's part (what a minimum charge needs: taking
    //    one line off a parcel saves nothing, taking all of them saves it)
    for (let p = 0; p < slots.length; p++) {
      const gone = slots[p]!;
      if (gone.lines.length < 2) continue;
      let next: Slot[] | undefined = slots.filter((_, k) => k !== p);
      for (const i of [...gone.lines].sort((a, b) => weightOf(ctx, b) - weightOf(ctx, a) || a - b)) {
        next = next === undefined ? undefined : insertOrEject(ctx, next, i, alone, price);
      }
      if (next !== undefined && accept(next)) moved = true;
    }
    if (!moved) break;
  }
  return slots;
}

/** Move e. of `improve`: the best plan passed while pulling lines into `src`'s part one by one. */
function fill(ctx: OrderCtx, slots: Slot[], src: Source, alone: readonly (Quote | undefined)[][], price: Price, minParts: 1 | 2): Slot[] | undefined {
  let cur = slots;
  let found: Slot[] | undefined;
  for (let step = 0; step < ctx.lines.length; step++) {
    const at = cur.findIndex((s) => s.src === src);
    const P = at === -1 ? undefined : cur[at]!;
    let bestNext: Slot[] | undefined;
    let bestTotal = Infinity;
    for (let i = 0; i < ctx.lines.length; i++) {
      if (P !== undefined && P.lines.includes(i)) continue;
      const from = cur.findIndex((s) => s.lines.includes(i));
      const A = cur[from]!;
      const aLines = withoutLine(A.lines, i);
      const qa = aLines.length === 0 ? undefined : price(A.src, aLines);
      if (aLines.length > 0 && qa === undefined) continue;
      const pLines = P === undefined ? [i] : withLine(P.lines, i);
      const qp = P === undefined ? alone[i]![ctx.sources.indexOf(src)] : price(src, pLines);
      if (qp === undefined) continue;
      const next: Slot[] = [];
      cur.forEach((s, k) => {
        if (k === at) next.push({ src, lines: pLines, quote: qp });
        else if (k !== from) next.push(s);
        else if (qa !== undefined) next.push({ src: A.src, lines: aLines, quote: qa });
      });
      if (at === -1) next.push({ src, lines: pLines, quote: qp });
      const total = scoreOf(next).total;
      if (total < bestTotal) {
        bestTotal = total;
        bestNext = next;
      }
    }
    if (bestNext === undefined) break;
    cur = bestNext;
    if (cur.length >= minParts && (found === undefined || better(scoreOf(cur), scoreOf(found)))) found = cur;
  }
  return found;
}

/** `insert`, or line `i` into a warehouse's or train's part with one of its lines inserted elsewhere, whichever is best. */
function insertOrEject(ctx: OrderCtx, slots: readonly Slot[], i: number, alone: readonly (Quote | undefined)[][], price: Price): Slot[] | undefined {
  let best = insert(ctx, slots, i, alone[i]!, price);
  slots.forEach((B, b) => {
    if (!exclusive(B.src)) return;
    for (const j of B.lines) {
      const bLines = withLine(withoutLine(B.lines, j), i);
      const qb = price(B.src, bLines);
      if (qb === undefined) continue;
      const next = insert(ctx, slots.map((s, k) => (k === b ? { src: B.src, lines: bLines, quote: qb } : s)), j, alone[j]!, price);
      if (next !== undefined && (best === undefined || better(scoreOf(next), scoreOf(best)))) best = next;
    }
  });
  return best;
}
