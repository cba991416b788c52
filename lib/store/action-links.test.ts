import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynalite, type DynaliteHandle } from '../../test/helpers/dynalite.ts';
import type { StoreContext } from './batch.ts';
import { actionLinkUsedAt, useActionLink } from './action-links.ts';
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
