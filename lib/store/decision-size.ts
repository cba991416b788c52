/**
 * Keeping a decision inside DynamoDB's 400 KB item limit (docs/decisions/0027-bounded-decisions.md).
 * A decision names every SKU in the reasons of every candidate, so an order of 100 unknown long
 * SKUs decides into megabytes: the commit would fail on every receive and the seller would never
 * hear of the order. Over the budget, the stored decision is a summary that is still a valid
 * Decision (reasons of one code grouped once per candidate with a count, messages capped), so
 * every reader (the API, the email) works unchanged; the full decision travels gzipped beside it
 * when that fits.
 */
import { gzipSync } from 'node:zlib';
import type { Candidate, Decision, Reason } from '#routing/decision.ts';

/** Room left for the rest of the order item (the order itself, reservations, keys) under 400 KB. */
export const DECISION_BUDGET_BYTES = 350 * 1024;
/** A summarised reason's message is cut here. */
const MESSAGE_CAP = 300;

export type DecisionStored = 'summary' | 'compressed';

export interface BoundedDecision {
  readonly decision: Decision;
  /** Absent: stored as decided. 'summary': only the summary. 'compressed': the full one too, in decisionGzip. */
  readonly decisionStored?: DecisionStored;
  readonly decisionGzip?: Uint8Array;
}

/**
 * An item's size by DynamoDB's documented rules: attribute names and strings by UTF-8 length,
 * binary by length, numbers about 1 byte per 2 significant digits + 1, booleans and nulls 1 byte,
 * lists and maps 3 bytes plus 1 per element.
 */
export function itemSizeBytes(item: unknown): number {
  if (item === null || typeof item !== 'object' || Array.isArray(item) || item instanceof Uint8Array) return valueSize(item);
  let total = 0;
  for (const [name, value] of Object.entries(item)) {
    if (value === undefined) continue;
    total += Buffer.byteLength(name, 'utf8') + valueSize(value);
  }
  return total;
}

function valueSize(value: unknown): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number' || typeof value === 'bigint') {
    const digits = String(value).replace(/[^0-9]/g, '').replace(/^0+/, '').length || 1;
    return Math.min(21, Math.ceil(digits / 2) + 1);
  }
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value)) return 3 + value.reduce<number>((n, v) => n + 1 + valueSize(v), 0);
  if (value instanceof Set) return [...value].reduce<number>((n, v) => n + valueSize(v), 0);
  if (typeof value === 'object') {
    return 3 + Object.entries(value).reduce((n, [k, v]) => (v === undefined ? n : n + 1 + Buffer.byteLength(k, 'utf8') + valueSize(v)), 0);
  }
  return 0;
}

function cap(message: string, limit = MESSAGE_CAP): string {
  return message.length <= limit ? message : `${message.slice(0, limit - 1)}…`;
}

/** One reason per code, in first-seen order; the first message names the rest by count. */
function groupReasons(reasons: readonly Reason[], limit: number): Reason[] {
  const groups = new Map<Reason['code'], { first: string; count: number }>();
  for (const r of reasons) {
    const g = groups.get(r.code);
    if (g === undefined) groups.set(r.code, { first: r.message, count: 1 });
    else g.count += 1;
  }
  return [...groups].map(([code, { first, count }]) => ({
    code,
    message: count === 1 ? cap(first, limit) : `${cap(first, limit)} (and ${count - 1} more ${code} like it)`,
  }));
}

function summarise(decision: Decision, limit: number): Decision {
  const candidates: Candidate[] = decision.candidates.map((c) =>
    c.reasons === undefined ? c : { ...c, reasons: groupReasons(c.reasons, limit) },
  );
  return { ...decision, candidates };
}

/** The decision as it is when it fits the budget; otherwise its summary, with the full one gzipped when that fits too. */
export function boundedDecision(decision: Decision, budget = DECISION_BUDGET_BYTES): BoundedDecision {
  if (itemSizeBytes({ decision }) <= budget) return { decision };
  let summary = summarise(decision, MESSAGE_CAP);
  // A pathological decision (thousands of candidates) is cut harder: codes and counts only.
  if (itemSizeBytes({ decision: summary }) > budget) summary = summarise(decision, 40);
  const gzip = new Uint8Array(gzipSync(JSON.stringify(decision)));
  if (itemSizeBytes({ decision: summary, decisionGzip: gzip }) <= budget) {
    return { decision: summary, decisionStored: 'compressed', decisionGzip: gzip };
  }
  return { decision: summary, decisionStored: 'summary' };
}
