/**
 * Route an order: one orders-queue message → a committed routing decision with its reservations,
 * handed to the notifications queue — exactly once per decision under at-least-once delivery.
 *
 * Why it is safe to receive the same message many times, or two at once:
 * - the idempotency key is the order and its decision version (`afterVersion`), never the SQS
 *   message id: the commit is conditional on the order still being at that version, so only one
 *   delivery can write decision N+1 and take its stock and capacity;
 * - only the delivery that won the commit sends the notification and records `notifiedVersion`;
 *   a losing delivery sends it only when the winner evidently crashed between its commit and its
 *   send (the decision is older than `notifyGraceMs` and still not marked notified). Inside that
 *   grace it fails the record, so SQS retries later and nothing is lost.
 *
 * When stock or capacity ran out under a decision (another order took it first), the snapshot is
 * reloaded and the order routed again; after `maxAttempts` such failures it is routed with every
 * source that failed treated as empty, so it ends routed elsewhere or unroutable — never lost.
 */
import type { NetworkSnapshot } from '#network/types.ts';
import type { Decision, Reservations } from '#routing/decision.ts';
import { fxRate } from '#routing/money.ts';
import { reservationsOf, route } from '#routing/route.ts';
import { SilkrouteError, TransientError } from '#shared/errors.ts';
import type { OrderMessage } from '#shared/messages.ts';
import { METRICS } from '#shared/metrics.ts';
import type { OrderRecord } from '#store/order-record.ts';
import type { DecisionCommitter, MetricSink, OrderRepository, Outbox, SnapshotSource } from './ports.ts';

export const NO_RESERVATIONS: Reservations = { stock: [], capacity: [] };

/** The routing core as the use case calls it; the real one by default, a fake in tests. */
export interface Router {
  route(order: OrderRecord, snapshot: NetworkSnapshot, now: Date): Decision;
  reservationsOf(decision: Decision, snapshot: NetworkSnapshot): Reservations;
}

export const ROUTER: Router = {
  route: (order, snapshot, now) => route(order.order, snapshot, now),
  reservationsOf,
};

export interface RoutePorts {
  readonly orders: OrderRepository;
  readonly snapshots: SnapshotSource;
  readonly committer: DecisionCommitter;
  readonly outbox: Pick<Outbox, 'sendNotification'>;
  /** Where the decision metrics go; none when absent. */
  readonly metrics?: MetricSink;
  readonly router?: Router;
}

export type RouteOutcome =
  | { readonly kind: 'decided'; readonly decision: Decision; readonly decisionVersion: number }
  | { readonly kind: 'duplicate'; readonly decisionVersion: number; readonly notificationResent: boolean }
  | { readonly kind: 'skipped'; readonly reason: string };

export interface RouteOptions {
  readonly now: Date;
  /** How long a losing delivery trusts the winner to send the notification. */
  readonly notifyGraceMs: number;
  /** Attempts on fresh data before exhausted sources are treated as empty. Default 3. */
  readonly maxAttempts?: number;
}

/** The message names an order the table does not hold: poison, it ends in the DLQ. */
export class OrderNotFoundError extends SilkrouteError {
  override readonly name = 'OrderNotFoundError';
}

/** Another delivery decided this order moments ago and is presumably notifying: retry later. */
export class NotificationPendingError extends TransientError {
  override readonly name = 'NotificationPendingError';
}

/** Handles one orders-queue message; throws to have SQS retry the record. */
export async function routeOrder(message: OrderMessage, ports: RoutePorts, options: RouteOptions): Promise<RouteOutcome> {
  const order = await ports.orders.getOrder(message.orderId);
  if (order === undefined) {
    throw new OrderNotFoundError(`order ${message.orderId} is not in the table`);
  }
  if (order.status === 'pending') {
    return { kind: 'skipped', reason: 'order is pending (unpaid); it is routed once paid' };
  }
  if (order.status === 'cancelled') {
    // Its reservations were given back with the cancellation (lib/store/fulfilment.ts): never route it again.
    return { kind: 'skipped', reason: 'order is cancelled' };
  }
  if (order.decisionVersion > message.afterVersion) {
    return settleDuplicate(order, ports, options);
  }
  if (order.decisionVersion < message.afterVersion) {
    // A reroute request can only name a version the order has reached; anything else was not
    // produced by this service.
    return {
      kind: 'skipped',
      reason: `message asks to route after version ${message.afterVersion}, order is at ${order.decisionVersion}`,
    };
  }

  const outcome = await routeAndCommit(order, ports, {
    now: options.now,
    // A reroute follows a fix of the seller's data: never decide it on a cached network.
    fresh: message.afterVersion > 0,
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
  });
  if (outcome.kind === 'already-decided') {
    const current = await ports.orders.getOrder(order.orderId);
    if (current === undefined) throw new OrderNotFoundError(`order ${order.orderId} vanished`);
    return settleDuplicate(current, ports, options);
  }
  if (ports.metrics !== undefined) {
    recordDecisionMetrics(ports.metrics, outcome.decision, order.receivedAt, outcome.snapshot.fx, outcome.attempts > 1);
  }
  await notify(order.orderId, outcome.decisionVersion, ports);
  return { kind: 'decided', decision: outcome.decision, decisionVersion: outcome.decisionVersion };
}

async function settleDuplicate(order: OrderRecord, ports: RoutePorts, options: RouteOptions): Promise<RouteOutcome> {
  const version = order.decisionVersion;
  if ((order.notifiedVersion ?? 0) >= version) {
    return { kind: 'duplicate', decisionVersion: version, notificationResent: false };
  }
  const decidedAt = order.decision === undefined ? Number.NaN : Date.parse(order.decision.decidedAt);
  const age = options.now.getTime() - decidedAt;
  if (!(age >= options.notifyGraceMs)) {
    throw new NotificationPendingError(
      `order ${order.orderId} decision ${version} was committed ${Number.isNaN(age) ? 'just now' : `${age} ms ago`} and is not notified yet`,
    );
  }
  await notify(order.orderId, version, ports);
  return { kind: 'duplicate', decisionVersion: version, notificationResent: true };
}

async function notify(orderId: string, decisionVersion: number, ports: RoutePorts): Promise<void> {
  await ports.outbox.sendNotification({ orderId, decisionVersion });
  await ports.orders.markNotified(orderId, decisionVersion);
}

export type RouteAndCommitOutcome =
  | {
      readonly kind: 'committed';
      readonly decision: Decision;
      readonly reservations: Reservations;
      readonly decisionVersion: number;
      readonly attempts: number;
      /** The snapshot the committed decision was made on (its fx prices the metrics: no second load). */
      readonly snapshot: NetworkSnapshot;
    }
  | { readonly kind: 'already-decided'; readonly attempts: number };

/**
 * Routes the order and commits the decision after the order's current version, releasing the
 * reservations that version holds; re-routes on fresh data when stock or capacity ran out.
 */
export async function routeAndCommit(
  order: OrderRecord,
  ports: Pick<RoutePorts, 'snapshots' | 'committer' | 'router'>,
  options: { readonly now: Date; readonly fresh?: boolean; readonly maxAttempts?: number },
): Promise<RouteAndCommitOutcome> {
  const router = ports.router ?? ROUTER;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 3);
  const expectedVersion = order.decisionVersion;
  const releasing = order.reservations ?? NO_RESERVATIONS;
  const exhaustedStock = new Map<string, { warehouseId: string; sku: string }>();
  const exhaustedCapacity = new Set<string>();
  // Past maxAttempts every failure must name a new source, and sources are finite; the hard
  // cap only guards against a router that ignores the snapshot.
  const hardCap = maxAttempts + 50;

  for (let attempt = 1; ; attempt += 1) {
    const loaded = await ports.snapshots.load(order.sellerId, options.now, { fresh: attempt === 1 && options.fresh === true });
    // The order's own reservations are free for it: a reroute may keep them.
    let snapshot = withReleased(loaded, order.sellerId, releasing);
    if (attempt > maxAttempts) {
      snapshot = withExhausted(snapshot, [...exhaustedStock.values()], exhaustedCapacity);
    }
    const decision = router.route(order, snapshot, options.now);
    const reservations = decision.status === 'routed' ? router.reservationsOf(decision, snapshot) : NO_RESERVATIONS;
    const result = await ports.committer.commit({ order, decision, reservations, expectedVersion, releasing, snapshot });
    if (result.kind === 'already-decided') return { kind: 'already-decided', attempts: attempt };
    if (result.kind === 'committed') {
      return { kind: 'committed', decision, reservations, decisionVersion: result.decisionVersion, attempts: attempt, snapshot };
    }
    const before = exhaustedStock.size + exhaustedCapacity.size;
    for (const s of result.exhausted.stock) exhaustedStock.set(`${s.warehouseId}\u0000${s.sku}`, s);
    for (const c of result.exhausted.capacity) exhaustedCapacity.add(c.departureId);
    const learned = exhaustedStock.size + exhaustedCapacity.size > before;
    if (attempt >= hardCap || (attempt > maxAttempts && !learned)) {
      throw new TransientError(`order ${order.orderId}: stock or capacity kept running out after ${attempt} attempts`);
    }
    ports.snapshots.invalidate(order.sellerId);
  }
}

/** The snapshot as the order sees it: its own current reservations added back. */
export function withReleased(snapshot: NetworkSnapshot, sellerId: string, releasing: Reservations): NetworkSnapshot {
  const lots = releasing.inbound ?? [];
  if (releasing.stock.length === 0 && releasing.capacity.length === 0 && lots.length === 0) return snapshot;
  const units = new Map<string, { warehouseId: string; sku: string; qty: number }>();
  for (const r of releasing.stock) {
    const id = `${r.warehouseId}\u0000${r.sku}`;
    units.set(id, { warehouseId: r.warehouseId, sku: r.sku, qty: (units.get(id)?.qty ?? 0) + r.qty });
  }
  // Units the order holds on a lot go back to the lot; a lot no longer in the snapshot has
  // arrived, and its units are on the shelf (ADR 0036).
  const lotUnits = new Map<string, number>();
  for (const r of lots) lotUnits.set(`${r.lotId}\u0000${r.sku}`, (lotUnits.get(`${r.lotId}\u0000${r.sku}`) ?? 0) + r.qty);
  const inbound = (snapshot.inbound ?? []).map((l) => {
    const id = `${l.lotId}\u0000${l.sku}`;
    const back = l.sellerId === sellerId ? lotUnits.get(id) : undefined;
    if (back === undefined) return l;
    lotUnits.delete(id);
    return { ...l, remaining: l.remaining + back };
  });
  for (const r of lots) {
    if (!lotUnits.has(`${r.lotId}\u0000${r.sku}`)) continue;
    lotUnits.delete(`${r.lotId}\u0000${r.sku}`);
    const id = `${r.warehouseId}\u0000${r.sku}`;
    const qty = lots.filter((x) => x.lotId === r.lotId && x.sku === r.sku).reduce((a, x) => a + x.qty, 0);
    units.set(id, { warehouseId: r.warehouseId, sku: r.sku, qty: (units.get(id)?.qty ?? 0) + qty });
  }
  const litres = new Map<string, number>();
  for (const r of releasing.capacity) litres.set(r.departureId, (litres.get(r.departureId) ?? 0) + r.litres);

  const stock = snapshot.stock.map((r) => {
    const id = `${r.warehouseId}\u0000${r.sku}`;
    const back = r.sellerId === sellerId ? units.get(id) : undefined;
    if (back === undefined) return r;
    units.delete(id);
    return { ...r, available: r.available + back.qty };
  });
  // Held units whose stock item is gone from the table still belong to the order.
  for (const back of units.values()) stock.push({ sellerId, warehouseId: back.warehouseId, sku: back.sku, available: back.qty });

  const railLanes = snapshot.railLanes.map((lane) => ({
    ...lane,
    departures: lane.departures.map((d) => {
      const back = litres.get(d.id);
      return back === undefined ? d : { ...d, remainingLitres: Math.min(d.capacityLitres, d.remainingLitres + back) };
    }),
  }));
  return { ...snapshot, stock, railLanes, ...(snapshot.inbound === undefined ? {} : { inbound }) };
}

/** The snapshot with these stock records and departures treated as empty. */
export function withExhausted(
  snapshot: NetworkSnapshot,
  stock: readonly { warehouseId: string; sku: string }[],
  departureIds: ReadonlySet<string>,
): NetworkSnapshot {
  const gone = new Set(stock.map((s) => `${s.warehouseId}\u0000${s.sku}`));
  return {
    ...snapshot,
    stock: snapshot.stock.map((r) => (gone.has(`${r.warehouseId}\u0000${r.sku}`) ? { ...r, available: 0 } : r)),
    railLanes: snapshot.railLanes.map((lane) => ({
      ...lane,
      departures: lane.departures.map((d) => (departureIds.has(d.id) ? { ...d, remainingLitres: 0 } : d)),
    })),
  };
}

/** Emits mode, savings (in EUR, so sellers reporting in CNY and EUR add up) and latency. */
export function recordDecisionMetrics(
  sink: MetricSink,
  decision: Decision,
  receivedAt: string,
  fx: NetworkSnapshot['fx'],
  rerouted: boolean,
): void {
  if (decision.status === 'routed' && decision.chosen !== undefined) {
    sink.put(METRICS.ordersRouted, 'Count', 1, { mode: decision.chosen.mode });
  } else {
    sink.put(METRICS.ordersUnroutable, 'Count', 1);
  }
  if (decision.savingsVsDirect !== undefined) {
    const eur = decision.savingsVsDirect.amount / fxRate(fx, decision.savingsVsDirect.currency);
    sink.put(METRICS.savingsVsDirectEur, 'None', Math.round(eur * 100) / 100);
  }
  const latency = Date.parse(decision.decidedAt) - Date.parse(receivedAt);
  if (Number.isFinite(latency) && latency >= 0) sink.put(METRICS.decisionLatencyMs, 'Milliseconds', latency);
  if (rerouted) sink.put(METRICS.reroutesOnContention, 'Count', 1);
}
