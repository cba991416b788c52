import { mkdtemp, rm, writeFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadNetworkDir } from '#network/load.ts';
import { ValidationError, formatIssue } from '#shared/errors.ts';
import type { CellValue, Grid, SheetSpec } from '#network/sheets/grid.ts';
import { parseNetworkSheets, rawFiles, readSheetFile, sheetsOf, validateCsvFile, writeNetworkCsv } from '#network/sheets/index.ts';
import { writeXlsx } from '#network/sheets/xlsx.ts';
import { runCli } from './main.ts';

const DEMO = fileURLToPath(new URL('../../data/demo', import.meta.url));
const NOW = new Date('2026-11-23T01:00:00Z');
let dir: string;
let demo: Awaited<ReturnType<typeof loadNetworkDir>>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'silkroute-sheets-'));
  demo = await loadNetworkDir(DEMO, { now: NOW });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The demo network as sheets (rows as mutable arrays). */
function demoSheets(): { name: string; rows: CellValue[][]; columns: SheetSpec['columns'] }[] {
  return sheetsOf(rawFiles(demo.files, demo.connections)).map((s) => ({ ...s, rows: s.rows.map((r) => [...r]) }));
}

/** Sets the cell of `header` in sheet row `row` (1-based, as Excel numbers it). */
function set(sheets: { name: string; rows: CellValue[][] }[], sheet: string, header: string, row: number, value: CellValue): string {
  const s = sheets.find((x) => x.name === sheet)!;
  const col = s.rows[0]!.indexOf(header);
  expect(col, `${sheet} has a ${header} column`).toBeGreaterThanOrEqual(0);
  s.rows[row - 1]![col] = value;
  return `${sheet}!${String.fromCharCode(65 + col)}${row}`;
}

function problems(grids: readonly Grid[]): string[] {
  try {
    parseNetworkSheets(grids);
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).issues.map(formatIssue);
  }
  throw new Error('expected the sheets to be invalid');
}

async function cli(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {}, clock: () => NOW });
  return { code, stdout, stderr };
}

describe('a workbook with ten planted mistakes', () => {
  it('reports all ten in one run, each with sheet, row and column and the rule broken, exit 2', async () => {
    const sheets = demoSheets();
    const cells = [
      set(sheets, 'skus', 'weightG', 5, 0.2),
      set(sheets, 'skus', 'battery', 7, 'lithium'),
      set(sheets, 'sellers', 'email', 3, 'orders at tianmen'),
      set(sheets, 'sellers', 'language', 4, 'zh'),
      set(sheets, 'parcel-services.rates', 'rates.transitDays', 4, '20-10'),
      set(sheets, 'parcel-services.rates', 'rates.*', 6, 'Germany'),
      set(sheets, 'warehouses.lastMile.bands', 'lastMile.bands.price', 9, 'abc'),
      set(sheets, 'stock', 'available', 8, -3),
      set(sheets, 'duties.countries', 'countries.vatRate', 5, 19),
      set(sheets, 'rail-lanes', 'schedule.departureTime', 3, '10am'),
    ];
    const file = join(dir, 'ten-mistakes.xlsx');
    await writeXlsx(file, sheets);
    const { code, stdout, stderr } = await cli(['validate', '--xlsx', file]);
    expect(stdout).toBe('');
    expect(code).toBe(2);
    expect(stderr).toContain('silkroute validate: 10 problems');
    const lines = stderr.trim().split('\n').slice(1).map((l) => l.trim());
    expect(lines).toHaveLength(10);
    for (const cell of cells) expect(lines.some((l) => l.startsWith(`${cell} `)), `a line for ${cell}`).toBe(true);
    expect(lines).toContain(`${cells[0]} weightG: expected grams as a whole number, got 0.2 — kilograms?`);
    expect(lines.find((l) => l.startsWith(cells[1]!))).toMatch(/battery: expected one of none, contained, standalone, got "lithium"$/);
    expect(lines.find((l) => l.startsWith(cells[4]!))).toBe(`${cells[4]} rates.transitDays: expected [min, max] with min ≤ max, got "20-10"`);
    expect(lines.find((l) => l.startsWith(cells[5]!))).toMatch(/rates\.\*: invalid key: expected an ISO 3166-1 alpha-2 country code such as "DE", got "Germany"$/);
    expect(lines.find((l) => l.startsWith(cells[6]!))).toMatch(/lastMile\.bands\.price: expected a number, got "abc"$/);
    expect(lines.find((l) => l.startsWith(cells[8]!))).toMatch(/countries\.vatRate: .*, got 19 — a percentage\? write 0\.19$/);
  });
});

describe('the demo workbook', () => {
  it('imports to the same network as data/demo (regenerated, compared by content)', async () => {
    const file = join(dir, 'network.xlsx');
    expect((await cli(['template', '--data', DEMO, '--xlsx', file])).code).toBe(0);
    const fromSheets = await loadNetworkDir(file, { now: NOW });
    expect(fromSheets.files).toEqual(demo.files);
    expect(fromSheets.connections).toEqual(demo.connections);
    expect(fromSheets.snapshot).toEqual(demo.snapshot);
  });

  it('ships as data/demo/network.xlsx with the content of the JSON files (npm run demo:xlsx regenerates it)', async () => {
    const shipped = await loadNetworkDir(join(DEMO, 'network.xlsx'), { now: NOW });
    expect(shipped.files).toEqual(demo.files);
    expect(shipped.connections).toEqual(demo.connections);
  });

  it('quotes the same decision from the workbook as from the directory', async () => {
    const order = fileURLToPath(new URL('../../events/orders/split.json', import.meta.url));
    const now = '2026-11-23T09:45:00+08:00';
    const a = await cli(['quote', '--data', join(DEMO, 'network.xlsx'), '--order', order, '--now', now]);
    const b = await cli(['quote', '--data', DEMO, '--order', order, '--now', now]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });
});

describe('the template', () => {
  it('has a sheet per data file named like it, field names in row 1 and Chinese labels with units in row 2', async () => {
    const file = join(dir, 'template.xlsx');
    expect((await cli(['template', '--xlsx', file])).code).toBe(0);
    const grids = await readSheetFile(file);
    const names = grids.map((g) => g.name);
    for (const n of ['sellers', 'skus', 'parcel-services', 'parcel-services.rates', 'rail-lanes', 'warehouses', 'warehouses.lastMile', 'stock', 'duties.countries', 'duties.unions.lowValue', 'fx', 'connections']) {
      expect(names).toContain(n);
    }
    const skus = grids.find((g) => g.name === 'skus')!;
    expect(skus.rows[0]).toEqual(['sellerId', 'sku', 'title', 'hsCode', 'weightG', 'dimsCm', 'customsValue.amount', 'customsValue.currency', 'retailPrice.amount', 'retailPrice.currency', 'battery']);
    expect(skus.rows[1]![4]).toBe('重量（克）');
    expect(skus.rows.length).toBe(2);
  });

  it('notes each column (meaning, allowed values, an example) and validates where Excel can: lists, whole numbers, ≥ 0', async () => {
    const file = join(dir, 'template-notes.xlsx');
    expect((await cli(['template', '--xlsx', file])).code).toBe(0);
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const skus = wb.getWorksheet('skus')!;
    expect(skus.getCell('K1').note).toBe('battery\n电池\nallowed / 可选: none, contained, standalone\ne.g. / 例: none');
    expect(skus.getCell('K3').dataValidation).toMatchObject({ type: 'list', formulae: ['"none,contained,standalone"'] });
    expect(skus.getCell('E900').dataValidation).toMatchObject({ type: 'whole', operator: 'greaterThanOrEqual', formulae: [1] });
    expect(skus.getCell('G3').dataValidation).toMatchObject({ type: 'decimal', operator: 'greaterThanOrEqual', formulae: [0] });
    expect(skus.getCell('D3').numFmt).toBe('@'); // HS codes keep their leading zeros
    expect(wb.getWorksheet('sellers')!.getCell('D3').dataValidation).toMatchObject({ type: 'list', formulae: ['"zh-CN,en"'] });
    expect(wb.getWorksheet('duties.countries')!.getCell('C3').dataValidation).toMatchObject({ type: 'decimal', operator: 'between', formulae: [0, 1] });
  });
});

describe('command line', () => {
  it('says what is wrong with --xlsx and --data', async () => {
    expect(await cli(['validate', '--xlsx', 'network.json'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--xlsx expects an .xlsx workbook, got "network.json"') });
    expect(await cli(['import', '--data', DEMO, '--xlsx', 'a.xlsx'])).toMatchObject({ code: 2, stderr: expect.stringContaining('give --data or --xlsx, not both') });
    expect(await cli(['validate'])).toMatchObject({ code: 2, stderr: expect.stringContaining('missing --data, --xlsx or --csv') });
    expect(await cli(['template'])).toMatchObject({ code: 2, stderr: expect.stringContaining('missing --xlsx') });
    expect(await cli(['validate', '--xlsx', join(dir, 'nope.xlsx')])).toMatchObject({ code: 2, stderr: expect.stringContaining(`workbook "${join(dir, 'nope.xlsx')}" does not exist`) });
  });

  it('names a file that is not a workbook', async () => {
    const file = join(dir, 'not-a-workbook.xlsx');
    await writeFile(file, 'hello');
    const { code, stderr } = await cli(['validate', '--xlsx', file]);
    expect(code).toBe(2);
    expect(stderr).toContain('not-a-workbook.xlsx: cannot read as an .xlsx workbook');
  });
});

describe('reading cells', () => {
  const only = (sheet: string, rows: CellValue[][]) => demoSheets().map((s) => (s.name === sheet ? { ...s, rows } : s));

  it('takes what Excel does to values: numbers as text, an HS code as a number, 28×22×2, 是/否, no label row', () => {
    const header = ['sellerId', 'sku', 'title', 'hsCode', 'weightG', 'dimsCm', 'customsValue.amount', 'customsValue.currency', 'retailPrice.amount', 'retailPrice.currency', 'battery'];
    const kept = demoSheets().find((s) => s.name === 'skus')!.rows.slice(2);
    const grids = only('skus', [header, ...kept, ['yiwu-goods', 'NEW-1', 'Cup', 691200, '150', '10×8×8', '0.5', 'EUR', null, null, 'none']]).map((s) =>
      s.name === 'parcel-services' ? { ...s, rows: s.rows.map((r, i) => (i >= 2 ? r.map((c, j) => (s.rows[0]![j] === 'battery.contained.allowed' ? '否' : c)) : r)) } : s,
    );
    const { files } = parseNetworkSheets(grids);
    expect(files.skus.slice(0, -1)).toEqual(demo.files.skus);
    expect(files.skus.slice(-1)).toEqual([
      { sellerId: 'yiwu-goods', sku: 'NEW-1', title: 'Cup', hsCode: '691200', weightG: 150, dimsCm: [10, 8, 8], customsValue: { amount: 0.5, currency: 'EUR' }, battery: 'none' },
    ]);
    expect(files.parcelServices.every((s) => s.battery.contained.allowed === false)).toBe(true);
  });

  it('names a row whose parent is not there, an unknown column and an unknown sheet, with the schema problems, at once', () => {
    const sheets = demoSheets();
    const rates = sheets.find((s) => s.name === 'parcel-services.rates')!;
    rates.rows.push(['NO-SUCH', 'DE', 1, 2, null, '3, 4']);
    rates.rows.push([null, 'FR', 1, 2, null, '3, 4']);
    sheets.find((s) => s.name === 'stock')!.rows[0]!.push('colour');
    set(sheets, 'skus', 'hsCode', 3, '61');
    const found = problems([...sheets, { name: 'skuz', rows: [['a']] }, { name: 'Sheet1', rows: [[null], []] }]);
    expect(found).toContain(`parcel-services.rates!A${rates.rows.length - 1}: no row of parcel-services has id "NO-SUCH"`);
    expect(found).toContain(`parcel-services.rates!A${rates.rows.length} id: required: the id of the parcel-services row this row belongs to`);
    expect(found.some((l) => l.startsWith('stock!E1: unknown column "colour"'))).toBe(true);
    expect(found.some((l) => l.startsWith('sheet "skuz": unknown sheet'))).toBe(true);
    expect(found.some((l) => l.includes('Sheet1'))).toBe(false); // an empty sheet holds nothing to report
    expect(found).toContain('skus!D3 hsCode: expected an HS code of 6 to 10 digits, got 61');
  });

  it('reports a missing sheet and a missing required column by name', () => {
    const sheets = demoSheets().filter((s) => s.name !== 'stock');
    const skus = sheets.find((s) => s.name === 'skus')!;
    const col = skus.rows[0]!.indexOf('title');
    skus.rows = skus.rows.map((r) => r.filter((_, i) => i !== col));
    const found = problems(sheets);
    expect(found).toContain('sheet "stock": sheet is missing');
    expect(found).toContain('skus row 3 title: required (expected a string) (the sheet has no "title" column)');
  });

  it('names a rule on a whole record by its row', () => {
    const sheets = demoSheets();
    const lanes = sheets.find((s) => s.name === 'rail-lanes')!;
    const header = lanes.rows[0]!;
    lanes.rows[2] = lanes.rows[2]!.map((c, i) => (String(header[i]).startsWith('schedule.') ? null : c));
    expect(problems(sheets)).toContain('rail-lanes!A3 (row 3): a rail lane needs departures, a schedule, or both');
  });
});

describe('rate cards as forwarders send them', () => {
  it('reads a row per country with first weight, its price and per kg as per parcel + per kg with a minimum', () => {
    const sheets = demoSheets();
    const i = sheets.findIndex((s) => s.name === 'parcel-services.rates');
    sheets[i] = {
      ...sheets[i]!,
      rows: [
        ['渠道编号', '国家', '首重(克)', '首重价格', '续重(每公斤)', '参考时效'],
        ...sheets[i]!.rows.slice(2).map((r) => [r[0]!, r[1]!, 500, (r[2] as number) + 0.5 * (r[3] as number), r[3]!, r[5]!]),
      ],
    };
    const { files } = parseNetworkSheets(sheets);
    const before = demo.files.parcelServices[0]!.rates.DE!;
    const after = files.parcelServices[0]!.rates.DE!;
    expect(after.perKg).toBe(before.perKg);
    expect(after.perParcel).toBeCloseTo(before.perParcel, 6);
    expect(after.minCharge).toBe(before.perParcel + 0.5 * before.perKg);
    expect(after.transitDays).toEqual(before.transitDays);
  });

  it('refuses a first-weight price below what per kg charges for it, at the cell', () => {
    const sheets = demoSheets();
    const i = sheets.findIndex((s) => s.name === 'parcel-services.rates');
    sheets[i] = { ...sheets[i]!, rows: [['id', 'rates.*', 'firstWeightG', 'firstWeightPrice', 'rates.perKg', 'rates.transitDays'], ...sheets[i]!.rows.slice(2).map((r) => [r[0]!, r[1]!, 1000, 10, 82, r[5]!])] };
    expect(problems(sheets)[0]).toBe('parcel-services.rates!D2: first-weight price 10 is below 82 per kg × 1 kg: the card cannot be written as a price per parcel plus per kg');
  });

  it('reads last-mile weight bands as columns (≤1kg, 2000g, bands.5000) and refuses them twice', () => {
    const sheets = demoSheets();
    const i = sheets.findIndex((s) => s.name === 'warehouses.lastMile');
    const bands = demo.files.warehouses.flatMap((w) => Object.entries(w.lastMile).map(([cc, lm]) => ({ id: w.id, cc, lm })));
    sheets[i] = {
      ...sheets[i]!,
      rows: [
        ['id', 'lastMile.*', 'carrier', 'transitDays', '≤1kg', '2000g', 'bands.5000'],
        ...bands.map((b) => [b.id, b.cc, b.lm.carrier, b.lm.transitDays.join('-'), ...b.lm.bands.map((x) => x.price)]),
      ],
    };
    const withoutSheet = sheets.filter((s) => s.name !== 'warehouses.lastMile.bands');
    expect(parseNetworkSheets(withoutSheet).files.warehouses).toEqual(demo.files.warehouses);
    expect(problems(sheets)[0]).toMatch(/^warehouses\.lastMile\.bands!A3: the bands of WH-MAD ES are also given as columns of warehouses\.lastMile: keep one$/);
  });
});

describe('CSV', () => {
  it('stands in for a JSON file of a data directory, with the same messages at its cells', async () => {
    const data = join(dir, 'csv-data');
    await cp(DEMO, data, { recursive: true });
    await rm(join(data, 'skus.json'));
    await rm(join(data, 'network.xlsx'));
    await writeNetworkCsv(join(data, 'skus.csv'), 'skus.json', demo.files.skus);
    const ok = await loadNetworkDir(data, { now: NOW });
    expect(ok.files.skus).toEqual(demo.files.skus);
    const text = (await import('node:fs/promises')).readFile;
    const csv = (await text(join(data, 'skus.csv'), 'utf8')).split('\n');
    // The writer quotes every cell; the weight is the one cell of row 5 holding a demo weight.
    csv[4] = csv[4]!.replace(/,"?(200|350|650|120|330|750|550)"?,/, ',0.2,');
    await writeFile(join(data, 'skus.csv'), csv.join('\n'));
    const { code, stderr } = await cli(['validate', '--data', data]);
    expect(code).toBe(2);
    expect(stderr).toContain('skus.csv!E5 weightG: expected grams as a whole number, got 0.2 — kilograms?');
  });

  it('is checked on its own with validate --csv, and a JSON and a CSV of the same file are refused', async () => {
    const file = join(dir, 'stock.csv');
    await writeNetworkCsv(file, 'stock.json', demo.files.stock);
    expect(await validateCsvFile(file)).toEqual({ file: 'stock.json', records: demo.files.stock.length });
    const ok = await cli(['validate', '--csv', file]);
    expect(ok).toMatchObject({ code: 0, stdout: `ok: stock.csv: ${demo.files.stock.length} records of stock.json (cross-file references are checked with --data)\n` });
    await writeFile(file, 'sellerId,warehouseId,sku,available\nyiwu-goods,WH-DUI,SOCKS-5,lots\n');
    const bad = await cli(['validate', '--csv', file]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('stock.csv!D2 available: expected a number, got "lots"');
    const both = join(dir, 'both');
    await cp(DEMO, both, { recursive: true });
    await writeNetworkCsv(join(both, 'stock.csv'), 'stock.json', demo.files.stock);
    expect((await cli(['validate', '--data', both])).stderr).toContain('stock.csv: both stock.json and stock.csv are here: keep one');
    await writeNetworkCsv(join(both, 'parcel-services.rates.csv'), 'skus.json', []);
    expect((await cli(['validate', '--data', both])).stderr).toContain('parcel-services.rates.csv: both parcel-services.json and parcel-services.rates.csv are here: keep one');
  });
});
