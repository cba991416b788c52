import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '#store/client.ts';
import { createEmailLedger, createNotificationStore } from '#store/notifications.ts';
import { ensureTable } from '#store/table.ts';
import { NOW, scenario } from '#email/fixtures.ts';
import type { DigestSummary } from '#routing/digest-summary.ts';
import { startDynalite, type DynaliteHandle } from '../../test/helpers/dynalite.ts';
import { sendDigests, type DigestPorts } from './digest.ts';
import { digestPeriod, preferencesOf } from './preferences.ts';

let db: DynaliteHandle;
let ledger: DigestPorts['ledger'];
beforeAll(async () => {
  db = await startDynalite();
  await ensureTable(db.client, 'digest-test');
  ledger = createEmailLedger(createNotificationStore({ doc: createDocumentClient({ client: db.client }), tableName: 'digest-test' }));
});
afterAll(async () => db?.stop());

function ports(mode: 'digest' | 'every', name: 'warehouse' | 'unroutable' = 'warehouse'): DigestPorts & { sent: string[]; summaries: DigestSummary[] } {
  const s = scenario(name, 'zh-CN');
  const network = { ...s.network, sellers: s.network.sellers.map((x) => (x.id === s.order.sellerId ? { ...x, notifications: { mode, digestHour: 9 } } : x)) };
  const decidedAt = new Date(digestPeriod(preferencesOf({ notifications: { mode: 'digest', digestHour: 9 } }), NOW).end.getTime() - 3_600_000).toISOString();
  const record = { ...s.order, decision: { ...s.decision, decidedAt } };
  const sent: string[] = [];
  const summaries: DigestSummary[] = [];
  return {
    sent,
    summaries,
    sellers: async () => [s.order.sellerId],
    orders: { listSellerOrders: async () => ({ orders: [record] }) },
    snapshots: { load: async () => network },
    ledger,
    mailer: {
      send: async ({ summary, seller }) => {
        summaries.push(summary);
        sent.push(`${seller.email}:${summary.total}`);
        return { messageId: `m-${sent.length}`, to: seller.email, subject: 's' };
      },
    },
    log: { info: () => undefined, warn: () => undefined },
  };
}

describe('sendDigests', () => {
  it('sends one digest per seller and period, however often it runs', async () => {
    const p = ports('digest');
    const first = await sendDigests(p, NOW, { force: true });
    expect(first).toMatchObject([{ kind: 'sent', orders: 1 }]);
    const again = await sendDigests(p, new Date(NOW.getTime() + 60_000), { force: true });
    expect(again).toMatchObject([{ kind: 'already-sent', date: first[0]!.kind === 'sent' ? first[0]!.date : '' }]);
    expect(p.sent).toEqual(['orders@tianmen-garments.example:1']);
  });

  it('sends nothing to a seller who is not on digest, nor outside the digest hour', async () => {
    expect(await sendDigests(ports('every'), NOW, { force: true })).toMatchObject([{ kind: 'not-digest' }]);
    const p = ports('digest');
    // 09:00 Beijing is 01:00 UTC; pick an hour that is not it.
    const off = new Date(NOW);
    off.setUTCHours(NOW.getUTCHours() === 5 ? 6 : 5);
    expect(await sendDigests(p, off)).toMatchObject([{ kind: 'not-due' }]);
    expect(p.sent).toEqual([]);
  });

  it("hands the digest each order's number as the merchant knows it (Shopify's name), not its numeric id", async () => {
    const p = ports('digest', 'unroutable');
    const sellerOf = scenario('unroutable', 'zh-CN').order;
    const digestSeller = { ...p, sellers: async () => [sellerOf.sellerId] };
    await sendDigests(digestSeller, NOW, { force: true });
    const exceptions = p.summaries.flatMap((s) => s.exceptions);
    expect(exceptions.map((x) => x.orderNumber)).toEqual([sellerOf.order.orderNumber]);
    expect(sellerOf.order.orderNumber).toMatch(/^#\d+$/);
  });
});
