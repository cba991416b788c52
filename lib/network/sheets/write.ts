/**
 * The network → sheets: the template (no data), the demo workbook and `silkroute export`.
 * The inverse of read.ts, cell for cell, so a round trip keeps every value.
 */
import type { NetworkFileName } from '../schemas.ts';
import type { CellValue, ColumnSpec, SheetSpec } from './grid.ts';
import { LABELS, labelText } from './labels.ts';
import { networkLayout, numberBounds, type Column, type Layout, type Table } from './layout.ts';

type Json = Record<string, unknown>;

/** An element of a table with the values of its identity columns (header → text). */
interface Element {
  readonly value: unknown;
  readonly keys: ReadonlyMap<string, string>;
}

/**
 * One sheet per table of every file in `files` (all files when `files` is undefined: the
 * template), each with row 1 the field names, row 2 the Chinese labels, data from row 3.
 * @example sheetsOf({ 'skus.json': [...], ... }) // [{ name: 'sellers', rows: [...], columns: [...] }, ...]
 */
export function sheetsOf(files?: Partial<Record<NetworkFileName, unknown>>, layout: Layout = networkLayout()): SheetSpec[] {
  const out: SheetSpec[] = [];
  const elements = new Map<Table, Element[]>();
  for (const [file, tables] of layout.byFile) {
    const present = files === undefined || files[file] !== undefined;
    if (!present) continue;
    for (const table of tables) {
      const list = files === undefined ? [] : elementsOf(table, files[file], elements);
      elements.set(table, list);
      const rows: CellValue[][] = [
        table.columns.map((c) => c.header),
        table.columns.map((c) => labelText(LABELS[c.labelKey])),
        ...list.map((e) => table.columns.map((c) => cellOf(c, e))),
      ];
      out.push({ name: table.sheet, rows, columns: table.columns.map(columnSpec) });
    }
  }
  return out;
}

function elementsOf(table: Table, fileValue: unknown, memo: Map<Table, Element[]>): Element[] {
  if (table.parent === undefined) {
    if (table.shape === 'single') return [{ value: fileValue, keys: new Map() }];
    return (fileValue as unknown[]).map((value) => ({ value, keys: ownKeys(table, value, new Map()) }));
  }
  const parents = memo.get(table.parent) ?? [{ value: fileValue, keys: new Map<string, string>() }];
  const out: Element[] = [];
  for (const parent of parents) {
    const container = at(parent.value, table.at);
    if (container === undefined || container === null) continue;
    if (table.shape === 'record') {
      for (const [key, value] of Object.entries(container as Json)) {
        const keys = new Map(parent.keys);
        keys.set(`${table.prefix}.*`, key);
        out.push({ value, keys });
      }
    } else {
      for (const value of container as unknown[]) out.push({ value, keys: ownKeys(table, value, parent.keys) });
    }
  }
  return out;
}

function ownKeys(table: Table, value: unknown, inherited: ReadonlyMap<string, string>): Map<string, string> {
  const keys = new Map(inherited);
  if (table.idField !== undefined) {
    const header = table.prefix === '' ? table.idField : `${table.prefix}.${table.idField}`;
    keys.set(header, String((value as Json)[table.idField]));
  }
  return keys;
}

function at(value: unknown, path: readonly string[]): unknown {
  let v = value;
  for (const name of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Json)[name];
  }
  return v;
}

function cellOf(column: Column, element: Element): CellValue {
  if (column.role !== 'value') return element.keys.get(column.header) ?? null;
  const value = column.path.length === 0 ? element.value : at(element.value, column.path);
  if (value === undefined || value === null) return null;
  if (column.unionScalar === true) return typeof value === 'object' ? null : (value as CellValue);
  switch (column.kind) {
    case 'list':
      return (value as unknown[]).map((v) => String(v)).join(', ');
    case 'json':
      return JSON.stringify(value);
    default:
      // A union's object branch has these columns; its scalar branch leaves them empty.
      if (typeof value === 'object') return null;
      return value as CellValue;
  }
}

function columnSpec(column: Column): ColumnSpec {
  const label = LABELS[column.labelKey];
  const notes: string[] = [];
  if (label !== undefined) notes.push(labelText(label));
  let validation: ColumnSpec['validation'];
  if (column.allowed !== undefined) {
    notes.push(`allowed / 可选: ${column.allowed.join(', ')}`);
    validation = { type: 'list', values: column.allowed.map(String) };
  } else if (column.kind === 'boolean') {
    notes.push('TRUE / FALSE (是 / 否)');
    validation = { type: 'list', values: ['TRUE', 'FALSE'] };
  } else if (column.kind === 'number') {
    const b = numberBounds(column.schema);
    const range = [b.min === undefined ? '' : `${b.minInclusive ? '≥' : '>'} ${b.min}`, b.max === undefined ? '' : `≤ ${b.max}`].filter((s) => s !== '');
    notes.push([b.int ? 'whole number / 整数' : 'number / 数字', ...range].join(', '));
    if (b.min !== undefined || b.max !== undefined || b.int) {
      // Whole numbers above an exclusive minimum start one higher (weightG > 0 → ≥ 1).
      const min = b.min === undefined ? undefined : b.int && !b.minInclusive ? b.min + 1 : b.min;
      validation = { type: b.int ? 'whole' : 'decimal', ...(min === undefined ? {} : { min }), ...(b.max === undefined ? {} : { max: b.max }) };
    }
  } else if (column.kind === 'list') notes.push('several values in one cell, comma separated / 多个值用逗号分隔');
  if (column.role === 'parentKey') notes.push('the row it belongs to / 所属记录');
  if (column.role === 'key') notes.push('one row per key / 每个键一行');
  if (column.nullable) notes.push('empty = none / 空白 = 无');
  if (label?.example !== undefined && label.example !== '') notes.push(`e.g. / 例: ${label.example}`);
  const text = column.kind === 'string' || column.kind === 'list' || column.kind === 'enum' || column.role !== 'value';
  const width = Math.min(40, Math.max(10, column.header.length + 2, labelText(label).length * 2 + 2));
  return { note: `${column.header}\n${notes.join('\n')}`, ...(validation === undefined ? {} : { validation }), text, width };
}
