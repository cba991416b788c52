import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Decision } from '#routing/decision.ts';
import { ValidationError } from '#shared/errors.ts';
import type { CliIo, ImportFn, RouteFn } from './main.ts';
import { localAwsDefaults, runCli } from './main.ts';

const root = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const DATA = root('data/demo');
const ORDERS = root('events/orders');
const NOW = '2026-11-23T09:00:00+08:00';

/** A stand-in engine: echoes what it was given, so the tests see what the CLI passed. */
const echoRoute: RouteFn = (order, snapshot, now) => ({
  orderId: order.orderId,
  sellerId: order.sellerId,
  decidedAt: now.toISOString(),
  status: 'routed',
  chosen: {
    routeId: `rail:${snapshot.railLanes[0]!.departures[0]!.id}`,
    mode: 'rail-to-warehouse',
    cost: { total: 12.34, currency: 'EUR', components: [{ name: 'linehaul', amount: 12.34 }] },
    eta: { earliest: '2026-12-12', latest: '2026-12-14' },
    shipments: [],
  },
  candidates: [],
});

async function run(argv: string[], over: Partial<CliIo> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    clock: () => new Date('2030-01-01T00:00:00Z'),
    env: {},
    route: echoRoute,
    ...over,
  });
  return { code, stdout, stderr };
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'silkroute-cli-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('silkroute quote', () => {
  it('prints the decision as 2-space JSON and nothing else, deciding as of --now', async () => {
    const r = await run(['quote', '--data', DATA, '--order', join(ORDERS, 'direct-parcel.json'), '--now', NOW]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const decision = JSON.parse(r.stdout) as Decision;
    expect(r.stdout).toBe(`${JSON.stringify(decision, null, 2)}\n`);
    expect(decision.decidedAt).toBe('2026-11-23T01:00:00.000Z');
    // The snapshot was expanded against --now, not the clock: Monday 09:00 in Yiwu → R1 leaves Tuesday.
    expect(decision.chosen!.routeId).toBe('rail:R1-2026-11-24');
  });

  it('uses the clock without --now', async () => {
    const r = await run(['quote', '--data', DATA, '--order', join(ORDERS, 'direct-parcel.json')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).decidedAt).toBe('2030-01-01T00:00:00.000Z');
  });

  it('exits 2 naming the order file and the field when the order is invalid', async () => {
    const file = join(tmp, 'bad-order.json');
    await writeFile(
      file,
      JSON.stringify({
        orderId: 'o-1',
        sellerId: 'yiwu-goods',
        marketplace: 'standard',
        externalId: '1',
        placedAt: NOW,
        shipTo: { country: 'Deutschland' },
        lines: [{ sku: 'CLIPS-6', qty: 0 }],
      }),
    );
    const r = await run(['quote', '--data', DATA, '--order', file, '--now', NOW]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${file}: shipTo.country: expected an ISO 3166-1 alpha-2 country code such as "DE"`);
    expect(r.stderr).toContain(`${file}: lines[0].qty: expected a whole number of at least 1, got 0`);
  });

  it('exits 2 for an order file that is not JSON, with line and column', async () => {
    const file = join(tmp, 'broken.json');
    await writeFile(file, '{\n  "orderId": "o-1",\n  "lines": [1, 2,]\n}\n');
    const r = await run(['quote', '--data', DATA, '--order', file, '--now', NOW]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: invalid JSON at line 3, column 18: expected a value, unexpected "\\]"`));
  });

  it('exits 2 for a missing order file, a missing option or a bad --now, saying which', async () => {
    const missing = await run(['quote', '--data', DATA, '--order', join(tmp, 'nope.json'), '--now', NOW]);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('nope.json: file not found')]);
    const noOrder = await run(['quote', '--data', DATA]);
    expect([noOrder.code, noOrder.stderr]).toEqual([2, expect.stringContaining('missing --order')]);
    const badNow = await run(['quote', '--data', DATA, '--order', join(ORDERS, 'split.json'), '--now', 'tomorrow']);
    expect([badNow.code, badNow.stderr]).toEqual([2, expect.stringContaining('--now: expected an ISO-8601 date-time')]);
    const unknown = await run(['quote', '--data', DATA, '--order', join(ORDERS, 'split.json'), '--fast']);
    expect([unknown.code, unknown.stderr]).toEqual([2, expect.stringContaining("Unknown option '--fast'")]);
  });

  it('exits 2 with the data issues when the data directory is invalid', async () => {
    const dir = join(tmp, 'empty-data');
    await rm(dir, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(dir));
    const r = await run(['quote', '--data', dir, '--order', join(ORDERS, 'split.json'), '--now', NOW]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('sellers.json: file is missing');
    expect(r.stderr).toContain('fx.json: file is missing');
    expect(r.stdout).toBe('');
  });

  it('exits 2 when the engine rejects the input, 1 when it breaks', async () => {
    const rejecting: RouteFn = () => {
      throw new ValidationError([{ path: 'sellerId', message: 'unknown seller "x"' }]);
    };
    const bad = await run(['quote', '--data', DATA, '--order', join(ORDERS, 'split.json'), '--now', NOW], { route: rejecting });
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('sellerId: unknown seller "x"')]);
    const breaking: RouteFn = () => {
      throw new TypeError("Cannot read properties of undefined (reading 'bands')");
    };
    const broken = await run(['quote', '--data', DATA, '--order', join(ORDERS, 'split.json'), '--now', NOW], { route: breaking });
    expect(broken.code).toBe(1);
    expect(broken.stdout).toBe('');
    expect(broken.stderr).toBe("silkroute quote: internal error: Cannot read properties of undefined (reading 'bands')\n");
  });
});

describe('silkroute validate', () => {
  it('summarises a valid directory', async () => {
    const r = await run(['validate', '--data', DATA, '--now', NOW]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^ok: 2 sellers, 10 SKUs, 4 parcel services, 2 rail lanes \(\d+ departures ahead\), 2 warehouses, \d+ stock records, 7 duty countries, 5 currencies, 5 connections\n$/,
    );
  });

  it('lists every issue and exits 2', async () => {
    const dir = join(tmp, 'half-data');
    await rm(dir, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.cp(DATA, dir, { recursive: true }));
    await writeFile(join(dir, 'fx.json'), JSON.stringify({ base: 'EUR', asOf: '2026-01-05', rates: { CNY: 0 } }));
    await writeFile(join(dir, 'sellers.json'), '[{"id": "s"}]');
    const r = await run(['validate', '--data', dir]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toMatch(/^silkroute validate: \d+ problems$/);
    expect(r.stderr).toContain('sellers.json: [0].name: required (expected a string)');
    expect(r.stderr).toContain('fx.json: rates.CNY: expected a number greater than 0, got 0');
  });
});

describe('silkroute demo', () => {
  it('quotes every sample order as of its placedAt and prints one row each', async () => {
    const seen: string[] = [];
    const spy: RouteFn = (order, snapshot, now) => {
      seen.push(`${order.placedAt}|${now.toISOString()}|${snapshot.asOf}`);
      return echoRoute(order, snapshot, now);
    };
    const r = await run(['demo', '--data', DATA, '--orders', ORDERS], { route: spy });
    expect(r.code).toBe(0);
    const names = ['cleared-in-liege', 'direct-parcel', 'over-150', 'overseas-warehouse', 'rail-to-warehouse', 'split', 'unroutable'];
    const numbers = ['#10490', '#10481', '#1062', '#1038', 'SO-2026-11-0193', '#10482', '#10483'];
    names.forEach((n, i) => expect(r.stdout).toMatch(new RegExp(`^${n} +${numbers[i]} +rail-to-warehouse +rail:R`, 'm')));
    expect(seen).toHaveLength(names.length);
    for (const s of seen) {
      const [placedAt, now, asOf] = s.split('|');
      expect(new Date(placedAt!).toISOString()).toBe(now);
      expect(asOf).toBe(now);
    }
  });

  it('uses one --now for every order when given', async () => {
    const nows = new Set<string>();
    const spy: RouteFn = (order, snapshot, now) => (nows.add(now.toISOString()), echoRoute(order, snapshot, now));
    expect((await run(['demo', '--data', DATA, '--orders', ORDERS, '--now', NOW], { route: spy })).code).toBe(0);
    expect([...nows]).toEqual(['2026-11-23T01:00:00.000Z']);
  });

  it('still prints the good orders when one sample is broken, and exits 2', async () => {
    const dir = join(tmp, 'orders');
    await rm(dir, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.cp(ORDERS, dir, { recursive: true }));
    await writeFile(join(dir, 'zz-bad.json'), '{"orderId": 1}');
    const r = await run(['demo', '--data', DATA, '--orders', dir]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^split +/m);
    expect(r.stderr).toContain('zz-bad.json: orderId: expected a string, got 1');
  });
});

describe('silkroute import', () => {
  it('hands the directory, endpoint, table and now to the store importer', async () => {
    const calls: Parameters<ImportFn>[] = [];
    const fake: ImportFn = async (dir, options) => {
      calls.push([dir, options]);
      options.log?.('wrote 2 sellers');
      return { sellers: 2 };
    };
    const r = await run(['import', '--data', DATA, '--endpoint', 'http://127.0.0.1:4567', '--now', NOW], {
      importNetworkDir: fake,
      env: { TABLE_NAME: 'silkroute-dev' },
    });
    expect(r.code).toBe(0);
    expect(calls).toHaveLength(1);
    expect(calls[0]![0]).toBe(DATA);
    expect(calls[0]![1]).toMatchObject({ endpoint: 'http://127.0.0.1:4567', tableName: 'silkroute-dev' });
    expect(calls[0]![1].now.toISOString()).toBe('2026-11-23T01:00:00.000Z');
    expect(r.stdout).toBe('{\n  "sellers": 2\n}\n');
    expect(r.stderr).toBe('wrote 2 sellers\n');
  });

  it('prefers --table and defaults to the twin table name', async () => {
    const tables: string[] = [];
    const fake: ImportFn = async (_dir, o) => (tables.push(o.tableName), {});
    await run(['import', '--data', DATA, '--table', 'T1'], { importNetworkDir: fake, env: { TABLE_NAME: 'T2' } });
    await run(['import', '--data', DATA], { importNetworkDir: fake });
    expect(tables).toEqual(['T1', 'SilkrouteTable']);
  });

  it('writes webhook secrets to Secrets Manager only when given a prefix', async () => {
    const seen: { secretsPrefix?: string; hasClient: boolean }[] = [];
    const fake: ImportFn = async (_dir, o) => (seen.push({ ...(o.secretsPrefix ? { secretsPrefix: o.secretsPrefix } : {}), hasClient: o.secrets !== undefined }), {});
    await run(['import', '--data', DATA, '--secrets-prefix', 'silkroute/prod/webhooks/'], { importNetworkDir: fake });
    await run(['import', '--data', DATA], { importNetworkDir: fake });
    expect(seen).toEqual([{ secretsPrefix: 'silkroute/prod/webhooks/', hasClient: true }, { hasClient: false }]);
  });

  it('exits 2 on invalid data reported by the importer and 1 on a store fault', async () => {
    const invalid: ImportFn = async () => {
      throw new ValidationError([{ file: 'skus.json', path: '[0].sku', message: 'required (expected string)' }]);
    };
    const bad = await run(['import', '--data', DATA], { importNetworkDir: invalid });
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('skus.json: [0].sku: required')]);
    const down: ImportFn = async () => {
      throw new Error('Cannot read properties of undefined (reading \'Items\')');
    };
    const fault = await run(['import', '--data', DATA], { importNetworkDir: down });
    expect([fault.code, fault.stderr]).toEqual([1, "silkroute import: internal error: Cannot read properties of undefined (reading 'Items')\n"]);
  });

  it('a set-up mistake is exit 2 saying what to do, never an internal error', async () => {
    const noRegion: ImportFn = async () => {
      throw new Error('Region is missing');
    };
    const bare = await run(['import', '--data', DATA], { importNetworkDir: noRegion });
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/^silkroute import: no DynamoDB endpoint: pass --endpoint or --table/);
    expect(bare.stderr).toContain('npm start');
    expect(bare.stderr).not.toContain('internal error');
    // A real client against a port nothing listens on: the URL is named, and the twin suggested.
    const dead = await run(['import', '--data', DATA, '--endpoint', 'http://127.0.0.1:9']);
    expect(dead.code).toBe(2);
    expect(dead.stderr).toMatch(/^silkroute import: nothing answers at http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\)/);
    expect(dead.stderr).toContain('npm start');
    const keys = await run(['keys', 'list', '--seller', 'x', '--endpoint', 'http://127.0.0.1:9']);
    expect([keys.code, keys.stderr.includes('nothing answers at http://127.0.0.1:9')]).toEqual([2, true]);
  });
});

describe('localAwsDefaults', () => {
  it('gives a loopback endpoint a region and dummy credentials unless the environment has them', () => {
    expect(localAwsDefaults('http://127.0.0.1:4567', {})).toEqual({
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    });
    expect(localAwsDefaults('http://localhost:8000', { AWS_REGION: 'eu-central-1', AWS_PROFILE: 'dev' })).toEqual({});
    expect(localAwsDefaults('https://dynamodb.eu-central-1.amazonaws.com', {})).toEqual({});
    expect(() => localAwsDefaults('127.0.0.1:4567', {})).toThrow(ValidationError);
  });
});

describe('help and usage', () => {
  it('prints help for the CLI and for each command on stdout with exit 0', async () => {
    const top = await run(['--help']);
    expect([top.code, top.stderr]).toEqual([0, '']);
    for (const cmd of ['quote', 'validate', 'demo', 'import']) {
      expect(top.stdout).toContain(`  ${cmd} `);
      const r = await run([cmd, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: silkroute ${cmd} `));
    }
  });

  it('exits 2 for no command or an unknown one', async () => {
    expect((await run([])).code).toBe(2);
    const r = await run(['route']);
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining('unknown command "route"')]);
  });
});
