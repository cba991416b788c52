import { describe, expect, it } from 'vitest';
import { signActionLink, signPlanActionLink } from '#shared/action-link.ts';
import type { OrderMessage } from '#shared/messages.ts';
import { scenario } from '#email/fixtures.ts';
import { act, type ActPorts } from './act.ts';

const SECRET = 's'.repeat(40);
const now = new Date('2026-12-03T01:00:00Z');

function setup() {
  const order = { ...scenario('unroutable', 'en').order, orderId: 'ord-act', decisionVersion: 1 };
  const used = new Map<string, string>();
  const sent: OrderMessage[] = [];
  const ports: ActPorts = {
    secret: async () => SECRET,
    orders: { getOrder: async (id) => (id === order.orderId ? order : undefined) },
    useOnce: async (token, _claims, at) => {
      const before = used.get(token);
      if (before !== undefined) return { kind: 'already-used', usedAt: before };
      used.set(token, at.toISOString());
      return { kind: 'first-use' };
    },
    sendOrderMessage: async (m) => void sent.push(m),
    usedAt: async (token) => used.get(token),
  };
  const token = signActionLink({ action: 'reroute', orderId: order.orderId, version: 1, exp: now.getTime() / 1000 + 3600 }, SECRET);
  return { ports, token, sent, order };
}

describe('one-click reroute', () => {
  it('GET only confirms; the first POST reroutes at the version; a second POST says it was used', async () => {
    const { ports, token, sent } = setup();
    expect((await act(token, 'GET', ports, now)).kind).toBe('confirm');
    expect(sent).toEqual([]);
    expect((await act(token, 'POST', ports, now)).kind).toBe('done');
    expect(sent).toEqual([{ orderId: 'ord-act', afterVersion: 1 }]);
    await expect(act(token, 'POST', ports, now)).resolves.toMatchObject({ kind: 'already-used', usedAt: now.toISOString() });
    expect(sent).toHaveLength(1);
  });

  it('an expired or tampered link never acts', async () => {
    const { ports, token, sent } = setup();
    expect((await act(token, 'POST', ports, new Date(now.getTime() + 7_200_000))).kind).toBe('expired');
    expect((await act(`${token.slice(0, -2)}AA`, 'POST', ports, now)).kind).toBe('invalid');
    expect(sent).toEqual([]);
  });

  it('a second click (GET) says the link was used; a link for an older decision says it no longer applies', async () => {
    const { ports, token, sent, order } = setup();
    await act(token, 'POST', ports, now);
    await expect(act(token, 'GET', ports, now)).resolves.toMatchObject({ kind: 'already-used', usedAt: now.toISOString() });
    const newer = { ...ports, orders: { getOrder: async () => ({ ...order, decisionVersion: 2 }) } };
    const other = signActionLink({ action: 'reroute', orderId: order.orderId, version: 1, exp: now.getTime() / 1000 + 60 }, SECRET);
    expect((await act(other, 'GET', newer, now)).kind).toBe('stale');
    expect((await act(other, 'POST', newer, now)).kind).toBe('stale');
    expect(sent).toHaveLength(1);
  });

  it('a plan-accept link signed with the same key is no reroute link: refused, nothing sent', async () => {
    const { ports, sent } = setup();
    const plan = signPlanActionLink({ action: 'accept-plan', sellerId: 'yiwu-goods', departureId: 'R2-2026-12-07', exp: now.getTime() / 1000 + 3600 }, SECRET);
    expect((await act(plan, 'GET', ports, now)).kind).toBe('invalid');
    expect((await act(plan, 'POST', ports, now)).kind).toBe('invalid');
    expect(sent).toEqual([]);
  });
});
