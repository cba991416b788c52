import { describe, expect, it } from 'vitest';
import type { Decision } from '#routing/decision.ts';
import type { OrderRecord } from '#store/order-record.ts';
import type { NotificationMessage } from '#shared/messages.ts';
import type { NetworkSnapshot } from '#network/types.ts';
import {
  NotificationPendingError,
  OrderNotFoundError,
  routeOrder,
  type RoutePorts,
} from './route-order.ts';

const NOW = new Date('2026-11-22T08:00:00Z');

function record(overrides: Partial<OrderRecord> = {}): OrderRecord {
  return {
    orderId: 'ord_1',
    sellerId: 'yiwu',
    status: 'received',
    order: {
      orderId: 'ord_1',
      sellerId: 'yiwu',
      marketplace: 'shopify',
      externalId: '1001',
      placedAt: '2026-11-22T07:00:00Z',
      shipTo: { country: 'DE' },
      lines: [{ sku: 'TEE-COT', qty: 1 }],
    },
    source: { platform: 'shopify', shop: 'demo.myshopify.com' },
    receivedAt: '2026-11-22T07:00:01Z',
    updatedAt: '2026-11-22T07:00:01Z',
    decisionVersion: 0,
    ...overrides,
  };
}

function decision(decidedAt: Date): Decision {
  return {
    orderId: 'ord_1',
    sellerId: 'yiwu',
    decidedAt: decidedAt.toISOString(),
    status: 'unroutable',
    candidates: [],
  };
}

/**
 * An in-memory stand-in for the table with the one property the worker relies on: a commit
 * succeeds only while the order is still at the version it was read at.
 */
function fakePorts(initial: OrderRecord) {
  let stored = initial;
  const sent: NotificationMessage[] = [];
  const commits: { freshNetwork: boolean }[] = [];
  let fresh = false;
  const loads: string[] = [];
  const ports: RoutePorts = {
    orders: {
      async getOrder(orderId) {
        return orderId === stored.orderId ? structuredClone(stored) : undefined;
      },
      async markNotified(_orderId, version) {
        stored = { ...stored, notifiedVersion: Math.max(stored.notifiedVersion ?? 0, version) };
      },
      markFailed: async () => false,
    },
    snapshots: {
      async load(_sellerId, _now, options) {
        fresh = options?.fresh === true;
        loads.push(_sellerId);
        return { fx: { base: 'EUR', asOf: '2026-01-05', rates: { CNY: 8 } } } as unknown as NetworkSnapshot;
      },
      invalidate: () => undefined,
    },
    router: { route: (_order, _snapshot, now) => decision(now), reservationsOf: () => ({ stock: [], capacity: [] }) },
    committer: {
      async commit({ order, decision: d }) {
        commits.push({ freshNetwork: fresh });
        if (stored.decisionVersion !== order.decisionVersion) return { kind: 'already-decided' };
        stored = { ...stored, status: d.status, decision: d, decisionVersion: order.decisionVersion + 1 };
        return { kind: 'committed', decisionVersion: stored.decisionVersion };
      },
    },
    outbox: {
      async sendNotification(message) {
        sent.push(message);
      },
    },
  };
  return { ports, sent, commits, loads, current: () => stored };
}

const options = { now: NOW, notifyGraceMs: 120_000 };

describe('routing worker, one message', () => {
  it('decides a new order once and hands exactly one notification to the queue', async () => {
    const fake = fakePorts(record());
    const outcome = await routeOrder({ orderId: 'ord_1', afterVersion: 0 }, fake.ports, options);
    expect(outcome.kind).toBe('decided');
    expect(fake.current().decisionVersion).toBe(1);
    expect(fake.current().notifiedVersion).toBe(1);
    expect(fake.sent).toEqual([{ orderId: 'ord_1', decisionVersion: 1 }]);
    expect(fake.commits).toEqual([{ freshNetwork: false }]);
  });

  it('treats the same message delivered five times as one decision and one notification', async () => {
    const fake = fakePorts(record());
    const outcomes = [];
    for (let i = 0; i < 5; i++) {
      outcomes.push(await routeOrder({ orderId: 'ord_1', afterVersion: 0 }, fake.ports, options));
    }
    expect(outcomes.map((o) => o.kind)).toEqual(['decided', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
    expect(fake.current().decisionVersion).toBe(1);
    expect(fake.sent).toHaveLength(1);
    expect(fake.commits).toHaveLength(1);
  });

  it('makes a delivery that lost the race retry while the winner may still be notifying', async () => {
    // The winner committed moments ago but has not marked the notification yet.
    const fake = fakePorts(
      record({ status: 'unroutable', decisionVersion: 1, decision: decision(new Date(NOW.getTime() - 5_000)) }),
    );
    await expect(
      routeOrder({ orderId: 'ord_1', afterVersion: 0 }, fake.ports, options),
    ).rejects.toBeInstanceOf(NotificationPendingError);
    expect(fake.sent).toHaveLength(0);
  });

  it('re-sends the notification when the winner crashed between commit and send', async () => {
    const fake = fakePorts(
      record({ status: 'unroutable', decisionVersion: 1, decision: decision(new Date(NOW.getTime() - 600_000)) }),
    );
    const outcome = await routeOrder({ orderId: 'ord_1', afterVersion: 0 }, fake.ports, options);
    expect(outcome).toEqual({ kind: 'duplicate', decisionVersion: 1, notificationResent: true });
    expect(fake.sent).toEqual([{ orderId: 'ord_1', decisionVersion: 1 }]);
    expect(fake.current().notifiedVersion).toBe(1);
  });

  it('records the decision metrics with the fx of the snapshot it decided on, loading the network once', async () => {
    const fake = fakePorts(record());
    const points: { name: string; value: number }[] = [];
    const saving: Decision = { ...decision(NOW), savingsVsDirect: { amount: 40, currency: 'CNY' } } as Decision;
    const ports: RoutePorts = {
      ...fake.ports,
      router: { route: () => saving, reservationsOf: () => ({ stock: [], capacity: [] }) },
      metrics: { put: (name, _unit, value) => void points.push({ name, value }) },
    };
    await routeOrder({ orderId: 'ord_1', afterVersion: 0 }, ports, options);
    expect(fake.loads).toEqual(['yiwu']);
    // 40 CNY at 8 CNY per EUR, from the snapshot the decision was made on.
    expect(points).toContainEqual({ name: 'SavingsVsDirectEur', value: 5 });
    expect(points.map((p) => p.name)).toContain('OrdersUnroutable');
  });

  it('routes a reroute request on a fresh network and notifies the new version', async () => {
    const fake = fakePorts(
      record({ status: 'unroutable', decisionVersion: 1, notifiedVersion: 1, decision: decision(NOW) }),
    );
    const outcome = await routeOrder({ orderId: 'ord_1', afterVersion: 1 }, fake.ports, options);
    expect(outcome.kind).toBe('decided');
    expect(fake.commits).toEqual([{ freshNetwork: true }]);
    expect(fake.sent).toEqual([{ orderId: 'ord_1', decisionVersion: 2 }]);
  });

  it('routes a failed order again when the seller asks for a reroute', async () => {
    const fake = fakePorts(record({ status: 'failed', note: 'routing failed 5 times' }));
    const outcome = await routeOrder({ orderId: 'ord_1', afterVersion: 0 }, fake.ports, options);
    expect(outcome.kind).toBe('decided');
    expect(fake.current().decisionVersion).toBe(1);
    expect(fake.sent).toEqual([{ orderId: 'ord_1', decisionVersion: 1 }]);
  });

  it('leaves an unpaid order alone until it is paid', async () => {
    const fake = fakePorts(record({ status: 'pending' }));
    const outcome = await routeOrder({ orderId: 'ord_1', afterVersion: 0 }, fake.ports, options);
    expect(outcome.kind).toBe('skipped');
    expect(fake.commits).toHaveLength(0);
    expect(fake.sent).toHaveLength(0);
  });

  it('ignores a message that names a version the order never reached', async () => {
    const fake = fakePorts(record());
    const outcome = await routeOrder({ orderId: 'ord_1', afterVersion: 3 }, fake.ports, options);
    expect(outcome.kind).toBe('skipped');
    expect(fake.commits).toHaveLength(0);
  });

  it('fails a message for an order the table does not hold, so it ends in the DLQ', async () => {
    const fake = fakePorts(record());
    await expect(
      routeOrder({ orderId: 'ord_missing', afterVersion: 0 }, fake.ports, options),
    ).rejects.toBeInstanceOf(OrderNotFoundError);
  });

  it('settles a delivery whose commit lost to a concurrent one without a second notification', async () => {
    const fake = fakePorts(record());
    const [a, b] = await Promise.allSettled([
      routeOrder({ orderId: 'ord_1', afterVersion: 0 }, fake.ports, options),
      routeOrder({ orderId: 'ord_1', afterVersion: 0 }, fake.ports, options),
    ]);
    const kinds = [a, b].map((r) => (r.status === 'fulfilled' ? r.value.kind : (r.reason as Error).name));
    expect(kinds.filter((k) => k === 'decided')).toHaveLength(1);
    expect(fake.current().decisionVersion).toBe(1);
    expect(fake.sent).toHaveLength(1);
  });
});
