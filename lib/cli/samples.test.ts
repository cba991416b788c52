import { execFile } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadNetworkDir } from '#network/load.ts';
import type { NetworkFiles } from '#network/types.ts';
import { buildSnapshot } from '#network/snapshot.ts';
import { Decision } from '#routing/decision.ts';
import { route } from '#routing/route.ts';
import { canonicalOrderId } from '#shared/order-id.ts';
import { readOrderFile } from './order-file.ts';

const root = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const ORDERS = root('events/orders');
const DATA = root('data/demo');

/** `| \`file.json\` | mode | ... |` rows of events/orders/README.md: the promise each sample makes. */
async function promisedModes(): Promise<Map<string, string>> {
  const text = await readFile(join(ORDERS, 'README.md'), 'utf8');
  const rows = [...text.matchAll(/^\| `([^`]+\.json)` \| ([a-z-]+) \|/gm)];
  return new Map(rows.map((m) => [m[1]!, m[2]!]));
}

let files: NetworkFiles;
beforeAll(async () => {
  ({ files } = await loadNetworkDir(DATA, { now: new Date('2026-11-23T01:00:00Z') }));
});

describe('sample orders against the demo network', () => {
  it('the README promises a mode for every sample file, and every mode is shown', async () => {
    const promised = await promisedModes();
    const onDisk = (await readdir(ORDERS)).filter((n) => n.endsWith('.json')).sort();
    expect([...promised.keys()].sort()).toEqual(onDisk);
    expect(new Set(promised.values())).toEqual(
      new Set(['direct-parcel', 'overseas-warehouse', 'rail-to-warehouse', 'split', 'unroutable']),
    );
  });

  it('each sample, decided as of its placedAt, ends in its promised mode', async () => {
    for (const [file, mode] of await promisedModes()) {
      const order = await readOrderFile(join(ORDERS, file));
      const now = new Date(order.placedAt);
      const decision = Decision.parse(route(order, buildSnapshot(files, now), now));
      const got = decision.status === 'unroutable' ? 'unroutable' : decision.chosen!.mode;
      expect({ file, mode: got }).toEqual({ file, mode });
      if (decision.status === 'unroutable') {
        // Unroutable must say why for every candidate, so the seller knows what to fix.
        expect(decision.candidates.length).toBeGreaterThan(0);
        for (const c of decision.candidates) expect(c.reasons?.length ?? 0).toBeGreaterThan(0);
      } else {
        // The chosen route beats every other feasible one, as the demo table claims.
        const totals = decision.candidates.filter((c) => c.feasible).map((c) => c.cost!.total);
        expect(Math.min(...totals)).toBe(decision.chosen!.cost.total);
      }
    }
  });

  it('each sample carries the canonical id its shop in connections.json would get', async () => {
    const { connections } = await loadNetworkDir(DATA, { now: new Date('2026-11-23T01:00:00Z'), requireConnections: true });
    for (const file of (await promisedModes()).keys()) {
      const order = await readOrderFile(join(ORDERS, file));
      const shop = connections.find((c) => c.platform === order.marketplace && c.sellerId === order.sellerId);
      expect(shop, `${file}: no ${order.marketplace} connection for ${order.sellerId}`).toBeDefined();
      expect(order.orderId).toBe(canonicalOrderId(shop!.platform, shop!.shop, order.externalId));
    }
  });

  it('the rail sample rides the first R1 departure whose cut-off has not passed', async () => {
    const order = await readOrderFile(join(ORDERS, 'rail-to-warehouse.json'));
    const now = new Date(order.placedAt);
    const snapshot = buildSnapshot(files, now);
    const decision = route(order, snapshot, now);
    const next = snapshot.railLanes
      .find((l) => l.id === 'R1')!
      .departures.find((d) => Date.parse(d.cutoffAt) >= now.getTime())!;
    expect(decision.chosen!.routeId).toBe(`rail:${next.id}`);
  });
});

describe('npx silkroute quote (the real bin)', () => {
  const run = promisify(execFile);
  const bin = root('bin/silkroute.ts');

  it('prints byte-identical decisions for the same --now, exit 0', async () => {
    const args = [bin, 'quote', '--data', DATA, '--order', join(ORDERS, 'split.json'), '--now', '2026-11-23T09:45:00+08:00'];
    const [a, b] = await Promise.all([run(process.execPath, args), run(process.execPath, args)]);
    expect(a.stderr).toBe('');
    expect(a.stdout).toBe(b.stdout);
    expect(Decision.parse(JSON.parse(a.stdout)).status).toBe('routed');
  });

  it('exits 0 for an unroutable order too, and 2 with a message for a bad one', async () => {
    const ok = await run(process.execPath, [bin, 'quote', '--data', DATA, '--order', join(ORDERS, 'unroutable.json'), '--now', '2026-11-23T10:05:00+08:00']);
    expect(JSON.parse(ok.stdout).status).toBe('unroutable');
    const bad = await run(process.execPath, [bin, 'quote', '--data', DATA, '--order', join(ORDERS, 'README.md')]).then(
      () => undefined,
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(bad).toMatchObject({ code: 2, stdout: '' });
    expect(bad!.stderr).toMatch(/README\.md: invalid JSON at line 1, column 1: expected a value, unexpected "#"/);
  });
});
