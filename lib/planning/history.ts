/**
 * The routing history the planner and the savings report read: one stored decision per line,
 * with the order it decided (docs/decisions/0019-routing-history-lines.md). The order is kept
 * because demand is counted per destination and SKU, and a decision alone names neither the
 * country nor the lines of an order that could not be routed.
 *
 * The schema is deliberately loose about what the planner does not read: reason `params` and
 * codes it does not know are kept as they come (the routing core adds them over time), and
 * extra keys pass through, so a history written by a newer router still reads.
 */
import * as z from 'zod';
import { CanonicalOrder } from '#network/schemas.ts';
import type { CanonicalOrder as Order } from '#network/schemas.ts';
import { humanIssue } from '#shared/zod-messages.ts';

const Money = z.object({ total: z.number(), currency: z.string() });
const Reason = z.looseObject({
  code: z.string(),
  message: z.string(),
  params: z.record(z.string(), z.unknown()).optional(),
});
const Candidate = z.looseObject({
  routeId: z.string(),
  mode: z.string(),
  feasible: z.boolean(),
  cost: z.looseObject(Money.shape).optional(),
  reasons: z.array(Reason).optional(),
});
const Shipment = z.looseObject({
  routeId: z.string(),
  mode: z.string(),
  from: z.string(),
  lines: z.array(z.looseObject({ sku: z.string(), qty: z.number().int().positive() })),
});
export const HistoryDecision = z.looseObject({
  orderId: z.string(),
  sellerId: z.string(),
  decidedAt: z.iso.datetime({ offset: true }),
  status: z.enum(['routed', 'unroutable']),
  chosen: z
    .looseObject({ routeId: z.string(), mode: z.string(), cost: z.looseObject(Money.shape), shipments: z.array(Shipment) })
    .optional(),
  candidates: z.array(Candidate),
});
export const HistoryLine = z
  .looseObject({ order: CanonicalOrder, decision: HistoryDecision })
  .refine((l) => l.order.orderId === l.decision.orderId && l.order.sellerId === l.decision.sellerId, {
    message: 'decision.orderId and decision.sellerId must be the order\'s',
    path: ['decision'],
  })
  .refine((l) => l.decision.status !== 'routed' || l.decision.chosen !== undefined, {
    message: 'a routed decision needs "chosen"',
    path: ['decision', 'chosen'],
  });

/** What the planner reads of a reason: its code and, when the router wrote them, its facts. */
export interface HistoryReason {
  readonly code: string;
  readonly message: string;
  readonly params?: Readonly<Record<string, unknown>>;
}
export interface HistoryCandidate {
  readonly routeId: string;
  readonly mode: string;
  readonly feasible: boolean;
  readonly cost?: { readonly total: number; readonly currency: string };
  readonly reasons?: readonly HistoryReason[];
}
/** The part of a stored decision (ROUTING.md §5) the planner and the report read. */
export interface HistoryDecisionT {
  readonly orderId: string;
  readonly sellerId: string;
  readonly decidedAt: string;
  readonly status: 'routed' | 'unroutable';
  readonly chosen?: {
    readonly routeId: string;
    readonly mode: string;
    readonly cost: { readonly total: number; readonly currency: string };
    readonly shipments: readonly { readonly routeId: string; readonly mode: string; readonly from: string; readonly lines: readonly { sku: string; qty: number }[] }[];
  };
  readonly candidates: readonly HistoryCandidate[];
}
/** One line of a history file: `{"order": <canonical order>, "decision": <decision>}`. */
export interface HistoryEntry {
  readonly order: Order;
  readonly decision: HistoryDecisionT;
}

/** Where a bad history line is: 1-based line number and the JSON path within it. */
export interface HistoryIssue {
  readonly line: number;
  readonly path: string;
  readonly message: string;
}

/**
 * Parse one line of a history file. Returns the entry, `undefined` for a blank line, or the
 * issues that make it invalid (never throws), so a reader can report every bad line at once.
 * @example parseHistoryLine('{"order":{...},"decision":{...}}', 1)
 */
export function parseHistoryLine(text: string, line: number): HistoryEntry | undefined | HistoryIssue[] {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(trimmed);
  } catch (err) {
    return [{ line, path: '', message: `not JSON: ${(err as Error).message}` }];
  }
  const result = HistoryLine.safeParse(raw, { error: humanIssue });
  if (result.success) return result.data as HistoryEntry;
  return result.error.issues.map((i) => ({ line, path: i.path.map(String).join('.'), message: i.message }));
}

/** One history line as written: keys in a fixed order, so equal histories are equal bytes. */
export function formatHistoryLine(entry: HistoryEntry): string {
  return JSON.stringify({ order: entry.order, decision: entry.decision });
}
