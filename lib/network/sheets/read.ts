/**
 * Sheets → the raw contents of the data files, plus where each value came from, so the
 * existing validation (lib/network/load.ts: the zod schemas and the cross-file checks) judges
 * the data and each of its issues is reported at the cell: `skus!F12 weightG: …`.
 *
 * The reader converts only what a spreadsheet changes (a number typed as text, `是`/`否`,
 * `28×22×2`, an HS code Excel turned into a number); anything it cannot read is passed on as
 * it is, for the schema to reject with its own words.
 */
import type { Issue } from '#shared/errors.ts';
import { formatPath } from '../issues.ts';
import type { NetworkFileName } from '../schemas.ts';
import { address, NOTES_SHEETS, type CellValue, type Grid } from './grid.ts';
import { LABELS, labelText } from './labels.ts';
import { networkLayout, unwrap, type Column, type Layout, type Table } from './layout.ts';

/** Where a value of a data file came from. */
export interface Position {
  readonly sheet: string;
  /** 1-based row. */
  readonly row: number;
  /** 0-based column, or undefined when the sheet has no such column. */
  readonly column: number | undefined;
  /** The header the problem is named by (`weightG`, `customsValue`). */
  readonly header: string;
  /** The cell as read, for "got …" (leaf values only). */
  readonly cell?: CellValue;
  readonly labelKey?: string;
}

export interface ReadResult {
  /** Raw (unvalidated) contents per data file; a file none of whose sheets is present is absent. */
  readonly raw: Partial<Record<NetworkFileName, unknown>>;
  /** `<file>\0<JSON path>` → where it was read. */
  readonly positions: ReadonlyMap<string, Position>;
  /** Problems of the sheets themselves: unknown sheets and columns, rows without a parent. */
  readonly issues: readonly Issue[];
  /** The sheets found, by name. */
  readonly sheets: ReadonlySet<string>;
}

type Segment = string | number;
type Json = Record<string, unknown>;

const posKey = (file: string, path: readonly Segment[]) => `${file}\u0000${formatPath(path)}`;

/** A header that is not a column of the table but a forwarder's shape of it. */
type Extra = { kind: 'band'; maxWeightG: number; table: Table } | { kind: 'firstWeightG' } | { kind: 'firstWeightPrice' };

interface Mapped {
  readonly columns: Map<number, Column>;
  readonly extras: Map<number, Extra>;
}

const FIRST_WEIGHT_G = ['firstWeightG', 'rates.firstWeightG', '首重', '首重(克)', '首重（克）', '首重重量'];
const FIRST_WEIGHT_PRICE = ['firstWeightPrice', 'rates.firstWeightPrice', '首重价格', '首重费用', '首重运费'];

/**
 * Reads every sheet of a network workbook (or the CSV files of a data directory).
 * @example readNetworkSheets([{ name: 'skus', rows: [['sellerId', ...], ...] }, ...])
 */
export function readNetworkSheets(grids: readonly Grid[], layout: Layout = networkLayout()): ReadResult {
  const issues: Issue[] = [];
  const positions = new Map<string, Position>();
  const raw: Partial<Record<NetworkFileName, unknown>> = {};
  const sheets = new Map<string, Grid>();
  for (const grid of grids) {
    if (NOTES_SHEETS.has(grid.name)) continue;
    const table = layout.bySheet.get(grid.name) ?? layout.bySheet.get(grid.name.trim());
    if (table === undefined) {
      // An empty sheet (Excel's "Sheet1") holds nothing to lose; any other unknown sheet might.
      if (grid.rows.every((r) => r.every((c) => isEmpty(c)))) continue;
      issues.push(sheetIssue(grid.name, `unknown sheet (expected one of: ${[...layout.bySheet.keys()].join(', ')})`));
      continue;
    }
    if (sheets.has(table.sheet)) {
      issues.push(sheetIssue(grid.name, `a second "${table.sheet}" sheet`));
      continue;
    }
    sheets.set(table.sheet, grid);
  }

  // Per table: its elements by identity, for the child tables to attach to.
  const index = new Map<Table, Map<string, { obj: Json; path: Segment[]; row: number } | 'duplicate'>>();
  for (const [file, tables] of layout.byFile) {
    if (!tables.some((t) => sheets.has(t.sheet))) continue; // the file is absent; validation says so
    const root = layout.roots.get(file);
    let fileValue: unknown;
    if (root === undefined) fileValue = {};
    else if (!sheets.has(root.sheet)) {
      issues.push(sheetIssue(root.sheet, `sheet is missing (the workbook has ${tables.filter((t) => sheets.has(t.sheet)).map((t) => t.sheet).join(', ')})`));
      continue;
    }
    for (const table of tables) {
      const grid = sheets.get(table.sheet);
      const own = new Map<string, { obj: Json; path: Segment[]; row: number } | 'duplicate'>();
      index.set(table, own);
      if (table.parent === undefined) {
        // The file's root table (lists: a row per record; objects: one row).
        const rows = grid === undefined ? [] : readRows(table, grid, issues, table.shape === 'single');
        if (table.shape === 'list') {
          fileValue = rows.map((r, i) => {
            relocate(positions, file, r.positions, [i]);
            if (table.idField !== undefined) remember(own, identityOf(table, r.values, r.obj), { obj: r.obj, path: [i], row: r.row });
            return r.obj;
          });
        } else {
          if (rows.length > 1) issues.push({ path: `${table.sheet}!A${rows[1]!.row}`, message: `only one row is read from this sheet (data goes in row ${rows[0]!.row})` });
          const first = rows[0]!;
          relocate(positions, file, first.positions, []);
          fileValue = first.obj;
          remember(own, '', { obj: first.obj, path: [], row: first.row });
        }
        positions.set(posKey(file, []), { sheet: table.sheet, row: 1, column: 0, header: table.sheet });
        continue;
      }
      if (fileValue === undefined) fileValue = {};
      // An object file with no plain fields has no sheet of its own: its records hang off the file.
      if (!index.has(table.parent)) index.set(table.parent, new Map([['', { obj: fileValue as Json, path: [], row: 1 }]]));
      const parentIndex = index.get(table.parent)!;
      const rows = grid === undefined ? [] : readRows(table, grid, issues);
      const filled = new Set<Json>();
      for (const r of rows) {
        const parentId = parentIdentity(table, r.values);
        const parent = parentIndex.get(parentId);
        const keyColumns = table.columns.filter((c) => c.role === 'parentKey');
        const blank = keyColumns.find((k) => r.values.get(k.header) === undefined);
        if (blank !== undefined) {
          issues.push({
            path: `${table.sheet}!${address(columnIndex(grid!, blank, table), r.row)} ${blank.header}`,
            message: `required: the ${blank.header} of the ${table.parent.sheet} row this row belongs to`,
          });
          continue;
        }
        if (parent === undefined || parent === 'duplicate') {
          const c = keyColumns[0];
          const where = c === undefined ? `${table.sheet}!A${r.row}` : `${table.sheet}!${address(columnIndex(grid!, c, table), r.row)}`;
          const names = keyColumns.map((k) => `${k.header} "${String(r.values.get(k.header) ?? '')}"`).join(', ');
          issues.push({
            path: where,
            message:
              parent === 'duplicate'
                ? `${names} is the key of more than one row in ${table.parent.sheet}: give each row its own`
                : `no row of ${table.parent.sheet} has ${names}`,
          });
          continue;
        }
        const container = containerOf(parent.obj, table);
        if (container.fromBands === true) {
          issues.push({ path: `${table.sheet}!A${r.row}`, message: `the bands of ${parentId.replaceAll('\u0000', ' ')} are also given as columns of ${table.parent.sheet}: keep one` });
          continue;
        }
        filled.add(parent.obj);
        let path: Segment[];
        if (table.shape === 'record') {
          const key = r.values.get(`${table.prefix}.*`);
          if (key === undefined) {
            const c = table.columns.find((x) => x.role === 'key')!;
            issues.push({ path: `${table.sheet}!${address(columnIndex(grid!, c, table), r.row)} ${c.header}`, message: 'required (the key of this row)' });
            continue;
          }
          const k = String(key);
          const record = container.value as Json;
          if (Object.hasOwn(record, k)) {
            const c = table.columns.find((x) => x.role === 'key')!;
            issues.push({ path: `${table.sheet}!${address(columnIndex(grid!, c, table), r.row)} ${c.header}`, message: `duplicate key "${k}" (an earlier row has it)` });
            continue;
          }
          record[k] = table.scalarValue ? r.obj[VALUE] : r.obj;
          path = [...parent.path, ...table.at, k];
        } else {
          const list = container.value as unknown[];
          path = [...parent.path, ...table.at, list.length];
          list.push(r.obj);
        }
        relocate(positions, table.file, r.positions, path);
        if (table.idField !== undefined || table.shape === 'record') {
          remember(own, identityOf(table, r.values, r.obj), { obj: table.scalarValue ? {} : r.obj, path, row: r.row });
        }
      }
      // A required record or list with no rows is empty rather than missing.
      if (!table.optional) {
        for (const entry of parentIndex.values()) {
          if (entry === 'duplicate' || filled.has(entry.obj)) continue;
          containerOf(entry.obj, table);
        }
      }
    }
    raw[file] = fileValue;
  }
  return { raw, positions, issues, sheets: new Set(sheets.keys()) };
}

const VALUE = '\u0000value';

function sheetIssue(sheet: string, message: string): Issue {
  return { path: `sheet "${sheet}"`, message };
}

function remember(
  map: Map<string, { obj: Json; path: Segment[]; row: number } | 'duplicate'>,
  id: string,
  entry: { obj: Json; path: Segment[]; row: number },
): void {
  map.set(id, map.has(id) ? 'duplicate' : entry);
}

/** The identity a child row repeats: parent keys, then this element's key or id. */
function identityOf(table: Table, values: ReadonlyMap<string, unknown>, obj: Json): string {
  const parts = table.columns.filter((c) => c.role === 'parentKey').map((c) => String(values.get(c.header) ?? ''));
  if (table.shape === 'record') parts.push(String(values.get(`${table.prefix}.*`) ?? ''));
  else if (table.idField !== undefined) parts.push(String(obj[table.idField] ?? ''));
  return parts.join('\u0000');
}

function parentIdentity(table: Table, values: ReadonlyMap<string, unknown>): string {
  return table.columns
    .filter((c) => c.role === 'parentKey')
    .map((c) => String(values.get(c.header) ?? ''))
    .join('\u0000');
}

/** The record or list of `table` inside its parent element, created when absent. */
function containerOf(parent: Json, table: Table): { value: Json | unknown[]; fromBands?: boolean } {
  let obj = parent;
  for (const name of table.at.slice(0, -1)) {
    if (typeof obj[name] !== 'object' || obj[name] === null) obj[name] = {};
    obj = obj[name] as Json;
  }
  const last = table.at[table.at.length - 1]!;
  if (obj[last] === undefined) obj[last] = table.shape === 'record' ? {} : [];
  const fromBands = BANDS.has(obj[last] as object);
  return { value: obj[last] as Json | unknown[], fromBands };
}

/** Lists made from band columns, so rows of the bands sheet for the same parent are refused. */
const BANDS = new WeakSet<object>();

function relocate(positions: Map<string, Position>, file: string, local: ReadonlyMap<string, Position>, prefix: readonly Segment[]): void {
  for (const [path, pos] of local) {
    const full = formatPath([...prefix, ...parsePath(path)]);
    positions.set(`${file}\u0000${full}`, pos);
  }
}

/**
 * `[3].rates.DE["a b"]` → [3, 'rates', 'DE', 'a b'] (the inverse of formatPath).
 * @example parsePath('[0].lastMile.DE.bands[1]') // [0, 'lastMile', 'DE', 'bands', 1]
 */
export function parsePath(path: string): Segment[] {
  const out: Segment[] = [];
  const re = /\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|\.?([^.[\]]+)/g;
  for (const m of path.matchAll(re)) {
    if (m[1] !== undefined) out.push(Number(m[1]));
    else if (m[2] !== undefined) out.push(JSON.parse(m[2]) as string);
    else if (m[3] !== undefined) out.push(m[3]);
  }
  return out;
}

/** Row 2 holds the Chinese labels (the template's) when most of its filled cells are exactly them. */
function isLabelRow(row: readonly CellValue[], mapped: Mapped): boolean {
  let filled = 0;
  let labels = 0;
  for (const [i, c] of mapped.columns) {
    const cell = row[i];
    if (cell === null || cell === undefined || cell === '') continue;
    filled += 1;
    const label = LABELS[c.labelKey];
    if (typeof cell === 'string' && label !== undefined && (cell === labelText(label) || cell === label.zh)) labels += 1;
  }
  return filled > 0 && labels * 2 >= filled;
}

function headerText(cell: CellValue | undefined): string {
  if (cell === null || cell === undefined) return '';
  return String(cell).trim();
}

/** Which column (or forwarder shape) each header cell of row 1 is; unknown headers are issues. */
function mapHeaders(table: Table, grid: Grid, issues: Issue[]): Mapped {
  const columns = new Map<number, Column>();
  const extras = new Map<number, Extra>();
  const names = new Map<string, Column>();
  const add = (name: string, c: Column) => {
    if (!names.has(name)) names.set(name, c);
  };
  for (const c of table.columns) add(c.header, c);
  for (const c of table.columns) {
    const label = LABELS[c.labelKey];
    if (label !== undefined) {
      add(labelText(label), c);
      add(label.zh, c);
      for (const a of label.aliases ?? []) add(a, c);
    }
    // Inside a nested sheet the short name is enough when it is unambiguous: `perKg` for `rates.perKg`.
    if (table.prefix !== '' && c.role === 'value' && c.header.startsWith(`${table.prefix}.`)) add(c.header.slice(table.prefix.length + 1), c);
  }
  const bandsTable = table.children.find(isBandsTable);
  const rateCard = table.columns.some((c) => c.header.endsWith('perParcel')) && table.columns.some((c) => c.header.endsWith('perKg'));
  const header = grid.rows[0] ?? [];
  const seen = new Map<Column, number>();
  header.forEach((cell, i) => {
    const text = headerText(cell);
    if (text === '') return;
    const column = names.get(text);
    if (column !== undefined) {
      if (seen.has(column)) {
        issues.push({ path: `${grid.name}!${address(i, 1)}`, message: `"${text}" is column ${column.header} again (already ${address(seen.get(column)!, 1)})` });
        return;
      }
      seen.set(column, i);
      columns.set(i, column);
      return;
    }
    if (bandsTable !== undefined) {
      const band = bandHeader(text, bandsTable);
      if (band !== undefined) {
        extras.set(i, { kind: 'band', maxWeightG: band, table: bandsTable });
        return;
      }
    }
    if (rateCard && FIRST_WEIGHT_G.includes(text)) {
      extras.set(i, { kind: 'firstWeightG' });
      return;
    }
    if (rateCard && FIRST_WEIGHT_PRICE.includes(text)) {
      extras.set(i, { kind: 'firstWeightPrice' });
      return;
    }
    issues.push({
      path: `${grid.name}!${address(i, 1)}`,
      message: `unknown column "${text}" (expected: ${table.columns.map((c) => c.header).join(', ')})`,
    });
  });
  return { columns, extras };
}

/** A list of {maxWeightG, price}-like objects: can also be written as one column per band. */
function isBandsTable(t: Table): boolean {
  const values = t.columns.filter((c) => c.role === 'value');
  return t.shape === 'list' && values.length === 2 && values.some((c) => c.header.endsWith('maxWeightG')) && values.every((c) => c.kind === 'number');
}

/** `≤1000g`, `1kg`, `bands.1000`, `lastMile.bands.2000`, `至2公斤` → grams; undefined otherwise. */
function bandHeader(text: string, bands: Table): number | undefined {
  const name = bands.at[bands.at.length - 1]!;
  const prefixes = [`${bands.prefix}.`, `${name}.`];
  let t = text;
  for (const p of prefixes) if (t.startsWith(p)) t = t.slice(p.length);
  const m = /^(?:≤|<=|＜=|<|至|up to\s*)?\s*(\d+(?:\.\d+)?)\s*(g|kg|克|公斤|千克)?$/i.exec(t);
  if (m === null) return undefined;
  if (m[2] === undefined && t === text) return undefined; // a bare number needs the bands. prefix
  const n = Number(m[1]);
  const kg = m[2] !== undefined && /^(kg|公斤|千克)$/i.test(m[2]);
  return Math.round(kg ? n * 1000 : n);
}

function columnIndex(grid: Grid, column: Column, table: Table): number {
  const header = grid.rows[0] ?? [];
  const mapped = mapHeaders(table, grid, []);
  for (const [i, c] of mapped.columns) if (c === column) return i;
  return Math.max(header.length, 0);
}

function position(table: Table, column: Column, grid: Grid | undefined, index: number | undefined, row: number, cell: CellValue | undefined): Position {
  return {
    sheet: table.sheet,
    row,
    column: grid === undefined ? undefined : index,
    header: column.header,
    ...(cell === undefined || cell === null ? {} : { cell }),
    labelKey: column.labelKey,
  };
}

interface Row {
  readonly obj: Json;
  readonly row: number;
  /** Header → converted value (key columns as text), for identities. */
  readonly values: Map<string, unknown>;
  /** Path within the element → position. */
  readonly positions: Map<string, Position>;
}

/** The rows of a sheet with anything in them; `atLeastOne` gives an empty first row when there is none. */
function readRows(table: Table, grid: Grid, issues: Issue[], atLeastOne = false): Row[] {
  const mapped = mapHeaders(table, grid, issues);
  const start = isLabelRow(grid.rows[1] ?? [], mapped) ? 3 : 2;
  const out: Row[] = [];
  const used = [...mapped.columns.keys(), ...mapped.extras.keys()];
  for (let r = start - 1; r < grid.rows.length; r++) {
    const cells = grid.rows[r]!;
    if (used.every((i) => isEmpty(cells[i]))) continue;
    out.push(buildRow(table, grid, mapped, cells, r + 1, issues));
  }
  if (out.length === 0 && atLeastOne) out.push(buildRow(table, grid, mapped, [], start, issues));
  return out;
}

function buildRow(table: Table, grid: Grid, mapped: Mapped, cells: readonly CellValue[], rowNumber: number, issues: Issue[]): Row {
  const indexOf = new Map<Column, number>();
  for (const [i, c] of mapped.columns) indexOf.set(c, i);
  const obj: Json = {};
  const values = new Map<string, unknown>();
  const local = new Map<string, Position>();
  const scalars: { column: Column; value: unknown }[] = [];
  // Every column gets a position, filled or not, so "required" lands on the empty cell.
  for (const c of table.columns) {
    const i = indexOf.get(c);
    const cell = i === undefined ? undefined : (cells[i] ?? null);
    if (c.role !== 'value') {
      const v = cell === undefined || isEmpty(cell) ? undefined : keyText(cell);
      if (v !== undefined) values.set(c.header, v);
      continue;
    }
    const pathKey = formatPath(c.path);
    if (c.unionScalar !== true || !isEmpty(cell)) local.set(pathKey, position(table, c, grid, i, rowNumber, cell));
    const value = convert(c, cell);
    if (value === undefined) continue;
    values.set(c.header, value);
    if (c.unionScalar === true) scalars.push({ column: c, value });
    else if (c.path.length === 0) obj[VALUE] = value;
    else setAt(obj, c.path, value);
  }
  // A union's scalar branch (`duty: "tariff"`) stands instead of its object branch's fields.
  for (const { column, value } of scalars) {
    const parent = getAt(obj, column.path.slice(0, -1));
    const name = column.path[column.path.length - 1]!;
    if (parent !== undefined && typeof parent[name] === 'object' && parent[name] !== null) {
      const i = indexOf.get(column);
      issues.push({ path: `${table.sheet}!${address(i ?? 0, rowNumber)} ${column.header}`, message: `give either ${column.header} or its fields (${column.header}.…), not both` });
      continue;
    }
    setAt(obj, column.path, value);
  }
  for (const objectPath of table.objects) {
    const key = formatPath(objectPath);
    if (local.has(key)) continue;
    const first = table.columns.find((c) => c.role === 'value' && startsWith(c.path, objectPath));
    if (first === undefined) continue;
    const header = `${table.prefix === '' ? '' : `${table.prefix}.`}${objectPath.join('.')}`;
    local.set(key, { ...position(table, first, grid, indexOf.get(first), rowNumber, undefined), header });
  }
  // The row itself (a rule on the whole record): the key cell of a record entry, else column A.
  const keyColumn = table.columns.find((c) => c.role === 'key');
  if (keyColumn !== undefined) {
    // A record entry: its key (an invalid key lands here), or its value when it is a plain one.
    const i = indexOf.get(keyColumn);
    if (!table.scalarValue) local.set('', position(table, keyColumn, grid, i, rowNumber, i === undefined ? undefined : (cells[i] ?? null)));
  } else if (!table.scalarValue) {
    local.set('', { sheet: table.sheet, row: rowNumber, column: 0, header: `(row ${rowNumber})` });
  }
  applyExtras(table, mapped, cells, rowNumber, obj, local, issues, grid);
  return { obj, row: rowNumber, values, positions: local };
}

function getAt(obj: Json, path: readonly string[]): Json | undefined {
  let o: unknown = obj;
  for (const name of path) {
    if (typeof o !== 'object' || o === null) return undefined;
    o = (o as Json)[name];
  }
  return typeof o === 'object' && o !== null ? (o as Json) : undefined;
}

/** Forwarder shapes: band columns become the bands list; first weight + per kg become per parcel + minimum. */
function applyExtras(table: Table, mapped: Mapped, cells: readonly CellValue[], row: number, obj: Json, local: Map<string, Position>, issues: Issue[], grid: Grid): void {
  const bands: { maxWeightG: number; price: unknown; column: number }[] = [];
  let firstG: { value: unknown; column: number } | undefined;
  let firstPrice: { value: unknown; column: number } | undefined;
  for (const [i, extra] of mapped.extras) {
    const cell = cells[i] ?? null;
    if (isEmpty(cell)) continue;
    if (extra.kind === 'band') bands.push({ maxWeightG: extra.maxWeightG, price: toNumber(cell), column: i });
    else if (extra.kind === 'firstWeightG') firstG = { value: toNumber(cell), column: i };
    else firstPrice = { value: toNumber(cell), column: i };
  }
  if (bands.length > 0) {
    const bandsTable = [...mapped.extras.values()].find((e) => e.kind === 'band')!;
    const t = (bandsTable as { table: Table }).table;
    const weight = t.columns.find((c) => c.role === 'value' && c.header.endsWith('maxWeightG'))!;
    const price = t.columns.find((c) => c.role === 'value' && c !== weight)!;
    bands.sort((a, b) => a.maxWeightG - b.maxWeightG);
    const list = bands.map((b) => ({ [weight.path[0]!]: b.maxWeightG, [price.path[0]!]: b.price }));
    BANDS.add(list);
    setAt(obj, t.at, list);
    bands.forEach((b, n) => {
      const base = [...t.at, n];
      const pos: Position = { sheet: table.sheet, row, column: b.column, header: headerText(grid.rows[0]?.[b.column] ?? null), cell: cells[b.column] ?? null, labelKey: price.labelKey };
      local.set(formatPath([...base, price.path[0]!]), pos);
      local.set(formatPath([...base, weight.path[0]!]), { ...pos, cell: null });
      local.set(formatPath(base), pos);
    });
  }
  if (firstG !== undefined || firstPrice !== undefined) {
    const where = (column: number) => `${table.sheet}!${address(column, row)}`;
    const perParcel = table.columns.find((c) => c.header.endsWith('perParcel'))!;
    const perKg = table.columns.find((c) => c.header.endsWith('perKg'))!;
    const minCharge = table.columns.find((c) => c.header.endsWith('minCharge'));
    const given = (firstG ?? firstPrice)!;
    if (firstG === undefined || firstPrice === undefined) {
      issues.push({ path: where(given.column), message: 'a first weight needs both its weight (首重, grams) and its price (首重价格)' });
      return;
    }
    if (obj[perParcel.path[0]!] !== undefined) {
      issues.push({ path: where(firstPrice.column), message: `give either ${perParcel.header} or a first weight and its price, not both` });
      return;
    }
    const kg = obj[perKg.path[0]!];
    if (typeof firstG.value !== 'number' || typeof firstPrice.value !== 'number' || typeof kg !== 'number') {
      issues.push({ path: where(firstPrice.column), message: `first weight, its price and ${perKg.header} must be numbers` });
      return;
    }
    const rest = round6(firstPrice.value - (kg * firstG.value) / 1000);
    if (rest < 0) {
      issues.push({
        path: where(firstPrice.column),
        message: `first-weight price ${firstPrice.value} is below ${kg} per kg × ${firstG.value / 1000} kg: the card cannot be written as a price per parcel plus per kg`,
      });
      return;
    }
    obj[perParcel.path[0]!] = rest;
    local.set(formatPath(perParcel.path), { sheet: table.sheet, row, column: firstPrice.column, header: perParcel.header, cell: cells[firstPrice.column] ?? null });
    if (minCharge !== undefined) {
      const current = obj[minCharge.path[0]!];
      obj[minCharge.path[0]!] = typeof current === 'number' ? Math.max(current, firstPrice.value) : firstPrice.value;
    }
  }
}

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;

function startsWith(path: readonly string[], prefix: readonly string[]): boolean {
  return prefix.every((p, i) => path[i] === p);
}

function setAt(obj: Json, path: readonly string[], value: unknown): void {
  let o = obj;
  for (const name of path.slice(0, -1)) {
    if (typeof o[name] !== 'object' || o[name] === null) o[name] = {};
    o = o[name] as Json;
  }
  o[path[path.length - 1]!] = value;
}

function isEmpty(cell: CellValue | undefined): boolean {
  return cell === null || cell === undefined || cell === '';
}

function keyText(cell: CellValue): string {
  if (cell instanceof Date) return dateText(cell);
  return String(cell);
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

function toNumber(cell: CellValue): unknown {
  if (typeof cell === 'string' && NUMBER.test(cell.trim())) return Number(cell.trim());
  return cell instanceof Date ? dateText(cell) : cell;
}

const TRUE = new Set(['true', 'yes', 'y', '是', '对', '✓', '1']);
const FALSE = new Set(['false', 'no', 'n', '否', '不', '✗', '0']);

/** A date Excel made of a typed date: a date when at midnight, else a local time without offset. */
function dateText(d: Date): string {
  const iso = d.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19);
}

/** A cell as the JSON value the column's schema wants; undefined for an empty cell. */
export function convert(column: Column, cell: CellValue | undefined): unknown {
  if (cell === undefined || isEmpty(cell)) return column.nullable ? null : undefined;
  switch (column.kind) {
    case 'string':
      if (typeof cell === 'number' || typeof cell === 'boolean') return String(cell);
      return cell instanceof Date ? dateText(cell) : cell;
    case 'number':
      return toNumber(cell);
    case 'boolean': {
      if (typeof cell === 'boolean') return cell;
      const t = String(cell).trim().toLowerCase();
      if (TRUE.has(t)) return true;
      if (FALSE.has(t)) return false;
      return cell instanceof Date ? dateText(cell) : cell;
    }
    case 'enum': {
      const allowed = column.allowed ?? [];
      if (typeof cell === 'string' && !allowed.includes(cell) && allowed.includes(cell.trim())) return cell.trim();
      if (typeof cell === 'number' && !allowed.includes(cell)) return String(cell);
      if (typeof cell === 'string' && allowed.some((a) => typeof a === 'number') && NUMBER.test(cell.trim())) return Number(cell.trim());
      if (typeof cell === 'string' && allowed.some((a) => typeof a === 'boolean')) {
        const t = cell.trim().toLowerCase();
        if (TRUE.has(t)) return true;
        if (FALSE.has(t)) return false;
      }
      return cell instanceof Date ? dateText(cell) : cell;
    }
    case 'list':
      return convertList(column, cell);
    case 'json':
      if (typeof cell !== 'string') return cell instanceof Date ? dateText(cell) : cell;
      try {
        return JSON.parse(cell) as unknown;
      } catch {
        return cell;
      }
  }
}

function convertList(column: Column, cell: CellValue): unknown {
  const items = column.items ?? [];
  const numeric = items.length > 0 && items.every((i) => unwrapKind(i) === 'number');
  if (cell === null) return undefined;
  if (typeof cell === 'number') return [cell];
  if (typeof cell === 'boolean' || cell instanceof Date) return [cell instanceof Date ? dateText(cell) : cell];
  const text = cell.trim();
  const parts = numeric
    ? text.split(/\s*[,，、;；×xX*~～]\s*|(?<=\d)\s*[-–—]\s*(?=\d)|\s+/)
    : text.split(/\s*[,，、;；]\s*/);
  const list = parts.filter((p) => p !== '');
  return list.map((p, i) => {
    const schema = items[Math.min(i, items.length - 1)];
    const kind = schema === undefined ? 'string' : unwrapKind(schema);
    if (kind === 'number') return NUMBER.test(p) ? Number(p) : p;
    if (kind === 'boolean') return TRUE.has(p.toLowerCase()) ? true : FALSE.has(p.toLowerCase()) ? false : p;
    return p;
  });
}

function unwrapKind(schema: Column['schema']): string {
  const t = (unwrap(schema).schema as unknown as { _zod: { def: { type: string } } })._zod.def.type;
  return t === 'int' || t === 'bigint' ? 'number' : t;
}

/**
 * Issues of the data files (file + JSON path, from lib/network/load.ts) named by their cell:
 * `skus!F12 weightG: expected grams as a whole number, got 0.2 — kilograms?`. An issue whose
 * path has no cell of its own is named by its row, or by its sheet.
 */
export function issuesAtCells(issues: readonly Issue[], positions: ReadonlyMap<string, Position>): Issue[] {
  return issues.map((issue) => {
    if (issue.file === undefined) return issue;
    const stem = issue.file.replace(/\.json$/, '');
    const segments = parsePath(issue.path);
    for (let n = segments.length; n >= 0; n--) {
      const pos = positions.get(`${issue.file}\u0000${formatPath(segments.slice(0, n))}`);
      if (pos === undefined) continue;
      const exact = n === segments.length;
      const where = pos.column === undefined ? `${pos.sheet} row ${pos.row}` : `${pos.sheet}!${address(pos.column, pos.row)}`;
      if (n === 0 && segments.length > 0 && pos.row === 1) break;
      const header = exact ? pos.header : headerOf(pos, segments.slice(n));
      let message = issue.message;
      if (exact && pos.cell !== undefined) {
        // The cell as the sheet shows it says "got" better than the converted value humanIssue saw.
        message = `${message.replace(/, got .*$/, '')}, got ${shown(pos.cell)}`;
        const hint = pos.labelKey === undefined ? undefined : LABELS[pos.labelKey]?.hint?.(convertedOf(pos.cell));
        if (hint !== undefined) message += ` — ${hint}`;
      }
      if (pos.column === undefined) message += ` (the sheet has no "${pos.header}" column)`;
      return { path: header === '' ? where : `${where} ${header}`, message };
    }
    return { path: `sheet "${stem}"`, message: issue.path === '' ? issue.message : `${issue.path}: ${issue.message}` };
  });
}

function headerOf(pos: Position, rest: readonly Segment[]): string {
  const tail = rest.filter((s) => typeof s === 'string').join('.');
  if (tail === '') return pos.header;
  return pos.header === '' ? tail : `${pos.header}.${tail}`;
}

function convertedOf(cell: CellValue): unknown {
  return typeof cell === 'string' && NUMBER.test(cell.trim()) ? Number(cell.trim()) : cell;
}

/** A cell for "got …": text quoted, unless it is a number written as text (CSV). */
function shown(cell: CellValue): string {
  if (typeof cell === 'string') return NUMBER.test(cell.trim()) ? cell.trim() : JSON.stringify(cell);
  return cell instanceof Date ? cell.toISOString() : String(cell);
}
