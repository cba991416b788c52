import { describe, expect, it } from 'vitest';
import type { NetworkSnapshot } from '#network/types.ts';
import { fixtureNetwork, NOW } from '#routing/test-fixtures.ts';
import { isPlanEmailDue, planEmailMarker, sendCutoffEmails, type CutoffEmailPorts } from './cutoff-emails.ts';
import type { HistoryEntry } from './history.ts';
import { report, type SellerSavings } from './report.ts';
import { dailyOrders, routed } from './test-helpers.ts';

const constant = (n: number, days = 28) => Array.from({ length: days }, () => n);

/** In-memory ports; the ledger keeps one outcome per marker, as the email ledger does. */
function portsFor(network: NetworkSnapshot, history: HistoryEntry[], options: { accepted?: string[]; failSends?: number } = {}) {
  const marks = new Map<string, { kind: 'sent'; messageId: string } | { kind: 'skipped'; why: string }>();
  const sent: { departureId: string; to: string; acceptUrl: string; lines: number }[] = [];
  let failures = options.failSends ?? 0;
  let historyReads = 0;
  let lastSavings: SellerSavings | undefined;
  const ports: CutoffEmailPorts = {
    sellers: async () => network.sellers.map((s) => s.id),
    snapshots: { load: async () => network },
    history: {
      history: async (sellerId) => {
        historyReads += 1;
        return history.filter((h) => h.order.sellerId === sellerId);
      },
    },
    accepted: async (_sellerId, departureId) => (options.accepted ?? []).includes(departureId),
    ledger: {
      async sendOnce(request) {
        const key = `${request.orderId}#${request.decisionVersion}`;
        const prior = marks.get(key);
        if (prior !== undefined) return prior.kind === 'sent' ? { kind: 'already-sent' } : { kind: 'already-sent', skipped: prior.why };
        const result = await request.send();
        const mark = typeof result === 'string' ? ({ kind: 'sent', messageId: result } as const) : ({ kind: 'skipped', why: result.skipped } as const);
        marks.set(key, mark);
        return mark;
      },
    },
    mailer: {
      async send({ plan, seller, acceptUrl, savings }) {
        lastSavings = savings;
        if (failures > 0) {
          failures -= 1;
          throw new Error('SES throttled');
        }
        sent.push({ departureId: plan.departureId, to: seller.email, acceptUrl, lines: plan.lines.length });
        return { messageId: `msg-${sent.length}` };
      },
    },
    acceptUrl: async (c) => `https://api.example/v1/plans/accept-link?t=${c.sellerId}.${c.departureId}.${c.exp}`,
    log: { info: () => {}, warn: () => {} },
  };
  return { ports, sent, marks, historyReads: () => historyReads, savings: () => lastSavings };
}

describe('the cut-off email', () => {
  const base = fixtureNetwork();
  const history = routed([...dailyOrders('tianmen', 'TEE-COT', 'DE', NOW, constant(40)), ...dailyOrders('tianmen', 'TEE-COT', 'ES', NOW, constant(40))], base);

  it('is due from the seller\'s hours before the cut-off until the cut-off', () => {
    expect(isPlanEmailDue('2026-11-24T10:00:00Z', 24, new Date('2026-11-23T09:59:59Z'))).toBe(false);
    expect(isPlanEmailDue('2026-11-24T10:00:00Z', 24, new Date('2026-11-23T10:00:00Z'))).toBe(true);
    expect(isPlanEmailDue('2026-11-24T10:00:00Z', 24, new Date('2026-11-24T09:59:59Z'))).toBe(true);
    expect(isPlanEmailDue('2026-11-24T10:00:00Z', 24, new Date('2026-11-24T10:00:00Z'))).toBe(false);
  });

  it('goes at the default 24 h only for the departure whose cut-off is that close, with a link that expires at the cut-off', async () => {
    const { ports, sent } = portsFor(base, history);
    const outcomes = await sendCutoffEmails(ports, NOW);
    // NOW is 2 h before R1-2026-11-24's cut-off and 26 h before R2-2026-11-25's.
    expect(outcomes.map((o) => [o.sellerId, o.departureId, o.kind])).toEqual([
      ['tianmen', 'R1-2026-11-24', 'sent'],
      ['yiwu', 'R1-2026-11-24', 'skipped'],
    ]);
    expect(sent).toEqual([
      { departureId: 'R1-2026-11-24', to: 'orders@tianmen.example', lines: 1, acceptUrl: `https://api.example/v1/plans/accept-link?t=tianmen.R1-2026-11-24.${Date.parse('2026-11-23T10:00:00Z') / 1000}` },
    ]);
  });

  it('carries the seller\'s savings report over the same history, for the bars', async () => {
    const { ports, savings } = portsFor(base, history);
    await sendCutoffEmails(ports, NOW);
    const expected = report({ history: history.filter((h) => h.order.sellerId === 'tianmen'), network: base, sellerId: 'tianmen' }).sellers[0]!;
    expect(savings()).toEqual(expected);
    expect(savings()!.orders.total).toBe(history.filter((h) => h.order.sellerId === 'tianmen').length);
  });

  it('follows the seller\'s own hours (planEmailHours)', async () => {
    const network = { ...base, sellers: base.sellers.map((s) => (s.id === 'tianmen' ? { ...s, planEmailHours: 48 } : s)) };
    const { ports, sent } = portsFor(network, history);
    await sendCutoffEmails(ports, NOW);
    expect(sent.map((e) => e.departureId)).toEqual(['R1-2026-11-24', 'R2-2026-11-25']);
  });

  it('sends once per departure and seller however often it runs, and reads the history only while something is to be written', async () => {
    const { ports, sent, historyReads } = portsFor(base, history);
    await sendCutoffEmails(ports, NOW);
    const reads = historyReads();
    const again = await sendCutoffEmails(ports, new Date(NOW.getTime() + 3_600_000));
    expect(again.map((o) => o.kind)).toEqual(['already-sent', 'already-sent']);
    expect(sent).toHaveLength(1);
    expect(historyReads()).toBe(reads);
  });

  it('records a plan with nothing to load, or a departure already accepted, as skipped, and sends nothing for it', async () => {
    const { ports, sent, marks } = portsFor(base, history, { accepted: ['R1-2026-11-24'] });
    const outcomes = await sendCutoffEmails(ports, NOW);
    expect(outcomes).toEqual([
      { sellerId: 'tianmen', departureId: 'R1-2026-11-24', kind: 'skipped', why: 'already-accepted' },
      { sellerId: 'yiwu', departureId: 'R1-2026-11-24', kind: 'skipped', why: 'already-accepted' },
    ]);
    expect(sent).toEqual([]);
    const { orderId, decisionVersion } = planEmailMarker('tianmen', 'R1-2026-11-24');
    expect(marks.get(`${orderId}#${decisionVersion}`)).toEqual({ kind: 'skipped', why: 'already-accepted' });
    const yiwu = portsFor(base, history);
    expect((await sendCutoffEmails(yiwu.ports, NOW, { sellerId: 'yiwu' }))[0]).toEqual({ sellerId: 'yiwu', departureId: 'R1-2026-11-24', kind: 'skipped', why: 'nothing-to-load' });
  });

  it('sends the other departures when one fails, fails the run naming it, and the next run sends it', async () => {
    const network = { ...base, sellers: base.sellers.map((s) => (s.id === 'tianmen' ? { ...s, planEmailHours: 48 } : s)) };
    const { ports, sent } = portsFor(network, history, { failSends: 1 });
    await expect(sendCutoffEmails(ports, NOW)).rejects.toThrow('1 plan email(s) failed: tianmen/R1-2026-11-24: SES throttled');
    expect(sent.map((e) => e.departureId)).toEqual(['R2-2026-11-25']);
    await sendCutoffEmails(ports, NOW);
    expect(sent.map((e) => e.departureId)).toEqual(['R2-2026-11-25', 'R1-2026-11-24']);
  });

  it('keys its ledger marker apart from any order\'s', () => {
    expect(planEmailMarker('tianmen', 'R1-2026-11-24')).toEqual({ orderId: 'plan-email:tianmen:R1-2026-11-24', decisionVersion: 1 });
  });
});
