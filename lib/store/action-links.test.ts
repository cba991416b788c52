import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynalite, type DynaliteHandle } from '../../test/helpers/dynalite.ts';
import type { StoreContext } from './batch.ts';
import { actionLinkUsedAt, createActionLinkSecret, useActionLink } from './action-links.ts';
import { NOW, freshTable } from './test-fixtures.ts';

let dynalite: DynaliteHandle;
let ctx: StoreContext;
beforeAll(async () => {
  dynalite = await startDynalite();
  ctx = await freshTable(dynalite.endpoint);
});
afterAll(async () => dynalite.stop());

describe('useActionLink', () => {
  it('accepts a link once; a second use, even at the same time, is refused with when it was used', async () => {
    const exp = NOW.getTime() / 1000 + 3600;
    const results = await Promise.all([useActionLink(ctx, 'tok-a', 'o1', exp, NOW), useActionLink(ctx, 'tok-a', 'o1', exp, NOW)]);
    expect(results.map((r) => r.kind).sort()).toEqual(['already-used', 'first-use']);
    await expect(useActionLink(ctx, 'tok-a', 'o1', exp, NOW)).resolves.toEqual({ kind: 'already-used', usedAt: NOW.toISOString() });
    await expect(actionLinkUsedAt(ctx, 'tok-c')).resolves.toBeUndefined();
    await expect(useActionLink(ctx, 'tok-b', 'o1', exp, NOW)).resolves.toEqual({ kind: 'first-use' });
    await expect(actionLinkUsedAt(ctx, 'tok-b')).resolves.toBe(NOW.toISOString());
  });
});

describe('createActionLinkSecret', () => {
  it('reads the named key and refuses a missing or short one by name', async () => {
    const calls: string[] = [];
    const secret = createActionLinkSecret({ name: 'silkroute/test/action-links', secrets: { get: async (name) => (calls.push(name), 'k'.repeat(40)) } });
    await expect(secret()).resolves.toBe('k'.repeat(40));
    expect(calls).toEqual(['silkroute/test/action-links']);
    const short = createActionLinkSecret({ name: 'x', secrets: { get: async () => 'short' } });
    await expect(short()).rejects.toThrow('action-link secret x is missing or shorter than 32 characters');
    const missing = createActionLinkSecret({ name: 'y', secrets: { get: async () => undefined } });
    await expect(missing()).rejects.toThrow(/action-link secret y/);
  });
});
