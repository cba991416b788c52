import { cp, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ValidationError, formatIssue } from '#shared/errors.ts';
import { findJsonError } from './issues.ts';
import { formatPath, loadNetworkDir, parseNetworkFiles } from './load.ts';

const DEMO = fileURLToPath(new URL('../../data/demo', import.meta.url));
const NOW = new Date('2026-11-23T01:00:00Z');
const dirs: string[] = [];

async function demoCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'silkroute-net-'));
  dirs.push(dir);
  await cp(DEMO, dir, { recursive: true });
  return dir;
}
async function edit(dir: string, file: string, change: (json: any) => void): Promise<void> {
  const json = JSON.parse(await readFile(join(dir, file), 'utf8'));
  change(json);
  await writeFile(join(dir, file), JSON.stringify(json, null, 2));
}
async function issuesOf(promise: Promise<unknown>): Promise<string[]> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ValidationError);
  return (err as ValidationError).issues.map(formatIssue);
}

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('formatPath', () => {
  it('writes indexes in brackets and keys with dots, quoting odd keys', () => {
    expect(formatPath([3, 'dimsCm'])).toBe('[3].dimsCm');
    expect(formatPath(['rates', 'DE', 'perKg'])).toBe('rates.DE.perKg');
    expect(formatPath([0, 'rates', 'DE', 'transitDays', 1])).toBe('[0].rates.DE.transitDays[1]');
    expect(formatPath(['bulkDutyRates', 'a b'])).toBe('bulkDutyRates["a b"]');
    expect(formatPath([])).toBe('');
  });
});

describe('findJsonError', () => {
  it('accepts what JSON.parse accepts', () => {
    for (const ok of ['{}', '[]', ' {"a": [1, -2.5e3, true, false, null, "x\\u00e9\\n"]} ', '"s"', '0']) {
      expect(JSON.parse(ok)).toBeDefined();
      expect(findJsonError(ok)).toBeUndefined();
    }
  });

  it('points at the first character JSON.parse rejects', () => {
    const cases: [string, number, string][] = [
      ['{"a": 1,}', 8, 'expected a double-quoted property name, unexpected "}"'],
      ["{'a': 1}", 1, `expected a double-quoted property name, unexpected "'"`],
      ['[1 2]', 3, 'expected "," or "]", unexpected "2"'],
      ['{"a" 1}', 5, 'expected ":", unexpected "1"'],
      ['{"a": tru}', 9, 'unexpected "}"'],
      ['[01]', 2, 'expected "," or "]", unexpected "1"'],
      ['{"a": "x', 8, 'unterminated string'],
      ['{} {}', 3, 'unexpected "{" after the JSON value'],
      ['[', 1, 'expected a value, unexpected end of input'],
    ];
    for (const [text, offset, message] of cases) {
      expect(() => JSON.parse(text)).toThrow();
      expect(findJsonError(text)).toEqual({ offset, message });
    }
  });
});

describe('loadNetworkDir', () => {
  it('loads the demo network with its connections', async () => {
    const { snapshot, files, connections } = await loadNetworkDir(DEMO, { now: NOW, requireConnections: true });
    expect(files.sellers.map((s) => s.id).sort()).toEqual(['tianmen-garments', 'yiwu-goods']);
    expect(files.skus).toHaveLength(10);
    expect(files.parcelServices.map((s) => s.id).sort()).toEqual(['CN-STD', 'CP-EPK', 'DHL-EXP', 'YUN-DDP']);
    expect(snapshot.railLanes.map((l) => l.warehouseId)).toEqual(['WH-MAD', 'WH-DUI']);
    expect(snapshot.railLanes.every((l) => l.departures.length > 0)).toBe(true);
    expect(connections.map((c) => c.platform).sort()).toEqual(['shopify', 'standard', 'woocommerce']);
    expect(connections.find((c) => c.platform === 'standard')!.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
  });

  it('reports every issue of every file at once, with file, JSON path and the rule broken', async () => {
    const dir = await demoCopy();
    await edit(dir, 'skus.json', (skus) => {
      skus[3].dimsCm = [20, 15];
      delete skus[5].hsCode;
      skus[6].hsCode = '95AB';
    });
    await edit(dir, 'parcel-services.json', (services) => {
      services[0].rates.DE.perKg = -1;
      services[1].rates.DE.transitDays = [15, 8];
      services[2].rates.de = services[2].rates.DE;
    });
    await edit(dir, 'duties.json', (duties) => {
      duties.countries.FR.vatRate = '20%';
    });
    const issues = await issuesOf(loadNetworkDir(dir, { now: NOW }));
    expect(issues).toEqual([
      'skus.json: [3].dimsCm: expected 3 positive numbers',
      'skus.json: [5].hsCode: required (expected a string)',
      'skus.json: [6].hsCode: expected an HS code of 6 to 10 digits',
      'parcel-services.json: [0].rates.DE.perKg: expected a number of at least 0, got -1',
      'parcel-services.json: [1].rates.DE.transitDays: expected [min, max] with min ≤ max',
      'parcel-services.json: [2].rates.de: invalid key: expected an ISO 3166-1 alpha-2 country code such as "DE"',
      'duties.json: countries.FR.vatRate: expected a number, got "20%"',
    ]);
  });

  it('calls a missing file missing and bad JSON bad, with line and column, alongside schema errors', async () => {
    const dir = await demoCopy();
    await unlink(join(dir, 'fx.json'));
    await writeFile(join(dir, 'stock.json'), '[\n  { "sellerId": "yiwu-goods", }\n]\n');
    await writeFile(join(dir, 'warehouses.json'), '');
    await edit(dir, 'sellers.json', (sellers) => {
      sellers[1].language = 'de';
    });
    const issues = await issuesOf(loadNetworkDir(dir, { now: NOW }));
    expect(issues).toEqual([
      'sellers.json: [1].language: expected one of zh-CN, en, got "de"',
      'warehouses.json: invalid JSON: the file is empty',
      'stock.json: invalid JSON at line 2, column 31: expected a double-quoted property name, unexpected "}"',
      'fx.json: file is missing',
    ]);
  });

  it('reports unexpected end of input with where the file stops', async () => {
    const dir = await demoCopy();
    await writeFile(join(dir, 'fx.json'), '{ "base": "EUR",\n  "rates": {');
    expect(await issuesOf(loadNetworkDir(dir, { now: NOW }))).toEqual([
      'fx.json: invalid JSON at line 2, column 13: expected a double-quoted property name, unexpected end of input',
    ]);
  });

  it('needs connections.json only when asked, but always checks it when present', async () => {
    const dir = await demoCopy();
    await unlink(join(dir, 'connections.json'));
    await expect(loadNetworkDir(dir, { now: NOW })).resolves.toMatchObject({ connections: [] });
    expect(await issuesOf(loadNetworkDir(dir, { now: NOW, requireConnections: true }))).toEqual([
      'connections.json: file is missing',
    ]);
    await writeFile(
      join(dir, 'connections.json'),
      JSON.stringify([
        { platform: 'shopify', shop: 'a.myshopify.com', sellerId: 'ghost', secret: 's', apiKey: 'short' },
        { platform: 'shopify', shop: 'a.myshopify.com', sellerId: 'yiwu-goods', secret: 's', apiKey: 'k'.repeat(16) },
        { platform: 'etsy', shop: 'b', sellerId: 'yiwu-goods', secret: 's', apiKey: 'k'.repeat(16) },
      ]),
    );
    expect(await issuesOf(loadNetworkDir(dir, { now: NOW }))).toEqual([
      'connections.json: [0].apiKey: expected at least 16 characters',
      'connections.json: [2].platform: expected one of shopify, woocommerce, standard, got "etsy"',
    ]);
  });

  it('checks cross-file references once every file has its shape', async () => {
    const dir = await demoCopy();
    await edit(dir, 'stock.json', (stock) => {
      stock.push({ sellerId: 'yiwu-goods', warehouseId: 'WH-PAR', sku: 'HOODIE', available: 5 });
    });
    await edit(dir, 'connections.json', (conns) => {
      conns[1].apiKey = conns[0].apiKey;
      conns[2].sellerId = 'ghost';
    });
    const n = JSON.parse(await readFile(join(DEMO, 'stock.json'), 'utf8')).length;
    expect(await issuesOf(loadNetworkDir(dir, { now: NOW }))).toEqual([
      `stock.json: [${n}].warehouseId: unknown warehouse "WH-PAR" (not in warehouses.json)`,
      `stock.json: [${n}].sku: unknown SKU "HOODIE" for seller "yiwu-goods" (not in skus.json)`,
      'connections.json: [1].apiKey: duplicate API key (each key maps to one seller)',
      'connections.json: [2].sellerId: unknown seller "ghost" (not in sellers.json)',
    ]);
  });

  it('says so when the directory does not exist', async () => {
    expect(await issuesOf(loadNetworkDir(join(tmpdir(), 'silkroute-no-such-dir'), { now: NOW }))).toEqual([
      expect.stringMatching(/^data directory ".*silkroute-no-such-dir" does not exist$/),
    ]);
  });
});

describe('schema and reference errors in one run', () => {
  it('checks references on the records that parsed, alongside the schema errors, without blaming a file that is broken', async () => {
    const dir = await demoCopy();
    // A schema error in skus.json and a broken record in sellers.json…
    await edit(dir, 'skus.json', (skus) => void (skus[1].weightG = -5));
    await edit(dir, 'sellers.json', (sellers) => void (sellers[1].email = 'not an email'));
    // …and reference errors in files that parse: a warehouse and a SKU that do not exist.
    await edit(dir, 'stock.json', (stock) => {
      stock[0].warehouseId = 'WH-NOPE';
      stock[1].sku = 'NO-SUCH-SKU';
    });
    const messages = await issuesOf(loadNetworkDir(dir, { now: NOW }));
    expect(messages.some((m) => m.startsWith('skus.json: [1].weightG: '))).toBe(true);
    expect(messages.some((m) => m.startsWith('sellers.json: [1].email: '))).toBe(true);
    expect(messages).toContain('stock.json: [0].warehouseId: unknown warehouse "WH-NOPE" (not in warehouses.json)');
    expect(messages).toContain('stock.json: [1].sku: unknown SKU "NO-SUCH-SKU" for seller "tianmen-garments" (not in skus.json)');
    // The seller whose record is broken is still written in sellers.json: what refers to it is not reported as unknown.
    expect(messages.filter((m) => m.includes('(not in sellers.json)'))).toEqual([]);
  });
});

describe('parseNetworkFiles', () => {
  it('validates raw contents without a directory, treating undefined as missing', () => {
    let caught: unknown;
    try {
      parseNetworkFiles({ 'sellers.json': [], 'skus.json': [{ sku: 'X' }], 'fx.json': { base: 'USD', asOf: 'soon', rates: {} } });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    const messages = (caught as ValidationError).issues.map(formatIssue);
    expect(messages).toContain('skus.json: [0].sellerId: required (expected a string)');
    expect(messages).toContain('parcel-services.json: file is missing');
    expect(messages).toContain('fx.json: base: expected "EUR", got "USD"');
    expect(messages.some((m) => m.startsWith('fx.json: asOf: expected one of: '))).toBe(true);
    expect(messages).not.toContain('connections.json: file is missing');
  });
});
