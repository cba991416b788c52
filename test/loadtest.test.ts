/**
 * The load test's reconciliation on a small run (issue 18 item 6; speed is in `npm run loadtest`):
 * every accepted webhook decided once or dead-lettered with its reason, units add up, one email
 * per decision, and DynamoDB requests and write units counted per order.
 */
import { describe, expect, it } from 'vitest';
import { runLoadtest } from '../bench/loadtest.ts';

describe('npm run loadtest, small', () => {
  it('reconciles exactly: decided or dead-lettered, units add up, emails = decisions', async () => {
    const f = await runLoadtest({ orders: 60, concurrency: 8, timeoutMs: 120_000 });
    expect(f.problems).toEqual([]);
    expect(f.accepted).toBe(60);
    expect(f.decided + f.deadLettered).toBe(60);
    expect(f.emails).toBe(f.decided);
    expect(f.perOrder.requests).toBeGreaterThan(0);
    expect(f.perOrder.writeUnits).toBeGreaterThan(0);
    expect(f.rawPutItemPerSec).toBeGreaterThan(0);
  }, 240_000);
});
