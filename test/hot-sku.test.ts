/**
 * Issue 18 item 1, the rehearsal as a test (untimed; its speed is in `npm run bench`): 16 router
 * containers × batches of 10 on one SKU at one warehouse, conflicts cancelled as on AWS. Every
 * order is decided once, none dead-lettered, and the SKU's units add up with its shards summed:
 * what was there − Σ reservations = what is left, nothing below zero.
 */
import { describe, expect, it } from 'vitest';
import { rehearseHotSku } from './helpers/hot-sku.ts';

describe('a hot SKU under 16 containers × batch 10', () => {
  it('decides every order once, dead-letters none, and oversells no unit', async () => {
    const figures = await rehearseHotSku({ containers: 16, batchSize: 10, orders: 320, stock: 250 });
    console.log(JSON.stringify(figures));
    expect(figures.problems).toEqual([]);
    expect(figures.deadLettered).toBe(0);
    expect(figures.decided).toBe(320);
    // More orders than units: the SKU sold out exactly, the rest went elsewhere.
    expect(figures.reservedAtHotItem).toBe(250);
    expect(figures.availableAfter).toBe(0);
    expect(figures.oversold).toBe(0);
    // The heat rule sharded the item on its own.
    expect(figures.shards).toBeGreaterThan(0);
  }, 240_000);
});
