/**
 * The workbook layout of a network, derived from the zod schemas of lib/network/schemas.ts and
 * nothing else, so a field added to a schema appears in the template, the reader and the export
 * without a code change here (docs/decisions/0013-spreadsheets.md).
 *
 * - A data file is a sheet named like it without `.json` (`skus`, `parcel-services`); a list
 *   file has a row per record, an object file (duties, fx) one row.
 * - Nested objects are columns with dotted paths (`customsValue.amount`); a list of scalars or
 *   a tuple is one cell (`28, 22, 2`); a union of objects and scalars shares columns.
 * - A record keyed by country, currency or HS prefix (`rates.<CC>`) and a list of objects
 *   nested in a record (`departures`, `bands`) are a child sheet named by their path
 *   (`parcel-services.rates`), a row per entry, led by the columns that identify the parent:
 *   the parent's `id` (a list item) or key (a record entry). A record key column is headed
 *   `<path>.*`; a record of plain values has its value in the column headed `<path>`.
 */
import * as z from 'zod';
import { NETWORK_FILES, type NetworkFileName } from '../schemas.ts';

type AnySchema = z.core.$ZodType;

/** What one cell holds, as the schema wants it. */
export type CellKind = 'string' | 'number' | 'boolean' | 'enum' | 'list' | 'json';

/** One step from a sheet's element to a value: an object property, or "the scalar branch of a union". */
export interface Column {
  /** Row 1: the dotted path from the file's record, record keys as `*` (`rates.*`, `rates.perKg`). */
  readonly header: string;
  /** The label table's key: `<sheet file stem>.<header>` (`parcel-services.rates.perKg`). */
  readonly labelKey: string;
  /** Property names from the table's element to the value; empty for a plain record value. */
  readonly path: readonly string[];
  readonly role: 'parentKey' | 'key' | 'value';
  readonly kind: CellKind;
  /** The leaf schema, unwrapped of optional/nullable/default. */
  readonly schema: AnySchema;
  /** For `list` cells: the element schemas (one per position for a tuple, else one). */
  readonly items?: readonly AnySchema[];
  /** An empty cell means null rather than absent. */
  readonly nullable: boolean;
  /** Allowed values of an enum, a literal or a union of them (data validation lists). */
  readonly allowed?: readonly (string | number | boolean)[];
  /** The column is the scalar branch of a union whose other branch is an object (`duty` vs `duty.perTariffLine`). */
  readonly unionScalar?: boolean;
}

export interface Table {
  /** Sheet name: the file stem, then the path of the nesting (`warehouses.lastMile.bands`). */
  readonly sheet: string;
  readonly file: NetworkFileName;
  readonly stem: string;
  /** How an element attaches to its parent: a list item, a record entry, or the file's one object. */
  readonly shape: 'list' | 'record' | 'single';
  /** Property names from the parent element to this table's list or record. */
  readonly at: readonly string[];
  /** Whether the list/record may be absent (an optional field) rather than empty. */
  readonly optional: boolean;
  /** The header path of this table's container (`rates`, `lastMile.bands`); '' for a root. */
  readonly prefix: string;
  readonly parent?: Table;
  /** Every column in sheet order: parent keys, own record key, values. */
  readonly columns: readonly Column[];
  /** Objects (by path from the element) that are optional: all their cells empty → absent. */
  readonly optionalObjects: readonly (readonly string[])[];
  /** Objects (by path) whose fields are columns, for mapping an issue on the whole object. */
  readonly objects: readonly (readonly string[])[];
  /** Union fields (by path) with an object branch and a scalar branch. */
  readonly unions: readonly (readonly string[])[];
  /** The list item's identity field for child tables (`id`); undefined for records and singles. */
  readonly idField?: string;
  /** For a record table whose values are plain (fx rates): the value is the element itself. */
  readonly scalarValue: boolean;
  readonly children: Table[];
}

export interface Layout {
  readonly tables: readonly Table[];
  /** Root table per data file (object files without plain fields have none). */
  readonly roots: ReadonlyMap<NetworkFileName, Table | undefined>;
  /** Every table of a data file, root first. */
  readonly byFile: ReadonlyMap<NetworkFileName, readonly Table[]>;
  readonly bySheet: ReadonlyMap<string, Table>;
}

/** Excel's limit on sheet names. */
export const MAX_SHEET_NAME = 31;

const def = (s: AnySchema) => (s as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;

interface Unwrapped {
  readonly schema: AnySchema;
  readonly optional: boolean;
  readonly nullable: boolean;
}

/** Strips optional, nullable, default, readonly and pipes (their input side). */
export function unwrap(schema: AnySchema): Unwrapped {
  let s = schema;
  let optional = false;
  let nullable = false;
  for (;;) {
    const d = def(s);
    if (d.type === 'optional' || d.type === 'default' || d.type === 'prefault') {
      optional = true;
      s = d.innerType as AnySchema;
    } else if (d.type === 'nullable') {
      nullable = true;
      s = d.innerType as AnySchema;
    } else if (d.type === 'readonly' || d.type === 'nonoptional' || d.type === 'catch') {
      s = d.innerType as AnySchema;
    } else if (d.type === 'pipe') {
      s = d.in as AnySchema;
    } else if (d.type === 'lazy') {
      s = (d.getter as () => AnySchema)();
    } else return { schema: s, optional, nullable };
  }
}

const SCALARS = new Set(['string', 'number', 'int', 'boolean', 'enum', 'literal', 'bigint', 'date']);

/** A scalar leaf's cell kind and allowed values, or undefined when the schema is not a scalar. */
function scalarKind(schema: AnySchema): { kind: CellKind; allowed?: (string | number | boolean)[] } | undefined {
  const d = def(schema);
  if (!SCALARS.has(d.type)) {
    if (d.type === 'union') {
      const options = (d.options as AnySchema[]).map((o) => scalarKind(unwrap(o).schema));
      if (options.every((o) => o !== undefined)) {
        if (options.every((o) => o!.allowed !== undefined)) return { kind: 'enum', allowed: options.flatMap((o) => o!.allowed!) };
        const kinds = new Set(options.map((o) => (o!.kind === 'enum' ? 'string' : o!.kind)));
        return kinds.size === 1 ? { kind: [...kinds][0]! } : { kind: 'json' };
      }
    }
    return undefined;
  }
  if (d.type === 'enum') return { kind: 'enum', allowed: Object.values(d.entries as Record<string, string>) };
  if (d.type === 'literal') return { kind: 'enum', allowed: (d.values as (string | number | boolean)[]).slice() };
  if (d.type === 'number' || d.type === 'int' || d.type === 'bigint') return { kind: 'number' };
  if (d.type === 'boolean') return { kind: 'boolean' };
  return { kind: 'string' };
}

interface Builder {
  readonly file: NetworkFileName;
  readonly stem: string;
  readonly tables: Table[];
}

interface Walk {
  columns: Column[];
  optionalObjects: string[][];
  objects: string[][];
  unions: string[][];
  children: Table[];
}

/**
 * Adds the fields of an object schema under `path` (from the element) to `walk`; nested
 * records and lists of objects become child tables of `table` (filled in by the caller).
 */
function walkObject(b: Builder, schema: AnySchema, path: string[], headerPrefix: string, walk: Walk, tableRef: () => Table): void {
  const shape = def(schema).shape as Record<string, AnySchema>;
  for (const [name, fieldSchema] of Object.entries(shape)) {
    const { schema: s, optional, nullable } = unwrap(fieldSchema);
    const fieldPath = [...path, name];
    const header = headerPrefix === '' ? name : `${headerPrefix}.${name}`;
    addField(b, s, optional, nullable, fieldPath, header, walk, tableRef);
  }
}

function addField(
  b: Builder,
  s: AnySchema,
  optional: boolean,
  nullable: boolean,
  fieldPath: string[],
  header: string,
  walk: Walk,
  tableRef: () => Table,
): void {
  const d = def(s);
  const column = (extra: Partial<Column> & Pick<Column, 'kind'>): Column => ({
    header,
    labelKey: `${b.stem}.${header}`,
    path: fieldPath,
    role: 'value',
    schema: s,
    nullable: nullable && !optional,
    ...extra,
  });
  const scalar = scalarKind(s);
  if (scalar !== undefined) {
    walk.columns.push(column(scalar));
    return;
  }
  if (d.type === 'object') {
    if (optional) walk.optionalObjects.push(fieldPath);
    walk.objects.push(fieldPath);
    walkObject(b, s, fieldPath, header, walk, tableRef);
    return;
  }
  if (d.type === 'union') {
    const options = (d.options as AnySchema[]).map((o) => unwrap(o).schema);
    const objects = options.filter((o) => def(o).type === 'object');
    const scalars = options.filter((o) => scalarKind(o) !== undefined);
    if (objects.length > 0 && objects.length + scalars.length === options.length) {
      if (scalars.length > 0) {
        const allowed = scalars.flatMap((o) => scalarKind(o)!.allowed ?? []);
        const kinds = scalars.map((o) => scalarKind(o)!);
        const kind = kinds.every((k) => k.allowed !== undefined) ? 'enum' : kinds.length === 1 ? kinds[0]!.kind : 'json';
        walk.columns.push(column({ kind, ...(kind === 'enum' ? { allowed } : {}), unionScalar: true, nullable: false }));
        walk.unions.push(fieldPath);
      }
      // An object branch's fields, once each even when several branches share a name.
      walk.optionalObjects.push(fieldPath);
      walk.objects.push(fieldPath);
      const seen = new Set(walk.columns.map((c) => c.header));
      for (const o of objects) {
        const inner: Walk = { columns: [], optionalObjects: [], objects: [], unions: [], children: [] };
        walkObject(b, o, fieldPath, header, inner, tableRef);
        for (const c of inner.columns) {
          if (!seen.has(c.header)) {
            seen.add(c.header);
            walk.columns.push(c);
          }
        }
        walk.optionalObjects.push(...inner.optionalObjects);
        walk.objects.push(...inner.objects);
        walk.children.push(...inner.children);
      }
      return;
    }
    walk.columns.push(column({ kind: 'json' }));
    return;
  }
  if (d.type === 'array' || d.type === 'tuple') {
    const items = d.type === 'tuple' ? (d.items as AnySchema[]) : [d.element as AnySchema];
    const rest = d.type === 'tuple' ? (d.rest as AnySchema | null) : null;
    const unwrappedItems = [...items, ...(rest === null ? [] : [rest])].map((i) => unwrap(i).schema);
    if (unwrappedItems.every((i) => scalarKind(i) !== undefined && scalarKind(i)!.kind !== 'json')) {
      walk.columns.push(column({ kind: 'list', items: unwrappedItems }));
      return;
    }
    if (d.type === 'array' && def(unwrappedItems[0]!).type === 'object') {
      walk.children.push(childTable(b, 'list', unwrappedItems[0]!, fieldPath, header, optional, tableRef));
      return;
    }
    walk.columns.push(column({ kind: 'json' }));
    return;
  }
  if (d.type === 'record') {
    const value = unwrap(d.valueType as AnySchema).schema;
    if (def(value).type === 'object' || scalarKind(value) !== undefined) {
      walk.children.push(childTable(b, 'record', value, fieldPath, header, optional, tableRef, d.keyType as AnySchema));
      return;
    }
  }
  // Anything else (a record of lists, a list of lists): one cell of JSON, still validated by the schema.
  walk.columns.push(column({ kind: 'json' }));
}

/** The identity columns a child table repeats from this table: its parent keys, then its own key. */
function identity(table: Table): Column[] {
  const own = table.columns.filter((c) => c.role === 'key' || (table.idField !== undefined && c.header === idHeader(table)));
  return [...table.columns.filter((c) => c.role === 'parentKey'), ...own].map((c) => ({ ...c, role: 'parentKey' as const }));
}

function idHeader(table: Table): string {
  return table.prefix === '' ? table.idField! : `${table.prefix}.${table.idField!}`;
}

function childTable(
  b: Builder,
  shape: 'list' | 'record',
  element: AnySchema,
  at: string[],
  prefix: string,
  optional: boolean,
  parentRef: () => Table,
  keyType?: AnySchema,
): Table {
  // Built lazily: the parent's columns (and so its identity) are complete only after its walk.
  const table: Table = {
    sheet: `${b.stem}.${prefix.split('.').filter((p) => p !== '*').join('.')}`,
    file: b.file,
    stem: b.stem,
    shape,
    at,
    optional,
    prefix,
    get parent() {
      return parentRef();
    },
    columns: [],
    optionalObjects: [],
    objects: [],
    unions: [],
    scalarValue: def(element).type !== 'object',
    children: [],
  } as Table;
  pending.push(() => fillTable(b, table, element, keyType));
  return table;
}

let pending: (() => void)[] = [];

function fillTable(b: Builder, table: Table, element: AnySchema, keyType?: AnySchema): void {
  const parent = table.parent!;
  const columns: Column[] = identity(parent);
  if (table.shape === 'record') {
    const key = unwrap(keyType!).schema;
    const header = `${table.prefix}.*`;
    columns.push({
      header,
      labelKey: `${b.stem}.${header}`,
      path: [],
      role: 'key',
      kind: scalarKind(key)?.kind === 'enum' ? 'enum' : 'string',
      schema: key,
      nullable: false,
      ...(scalarKind(key)?.allowed === undefined ? {} : { allowed: scalarKind(key)!.allowed! }),
    });
  }
  const walk: Walk = { columns: [], optionalObjects: [], objects: [], unions: [], children: [] };
  const self = () => table;
  if (def(element).type === 'object') walkObject(b, element, [], table.prefix, walk, self);
  else addField(b, element, false, unwrap(element).nullable, [], table.prefix, walk, self);
  finish(b, table, [...columns, ...walk.columns], walk);
}

function finish(b: Builder, table: Table, columns: Column[], walk: Walk): void {
  const mutable = table as { -readonly [K in keyof Table]: Table[K] };
  mutable.columns = columns;
  mutable.optionalObjects = walk.optionalObjects;
  mutable.objects = walk.objects;
  mutable.unions = walk.unions;
  mutable.children = walk.children;
  if (table.shape === 'list' && walk.children.length > 0) {
    const id = walk.columns.find((c) => c.path.length === 1 && c.path[0] === 'id' && c.kind === 'string');
    if (id === undefined) {
      throw new Error(`${table.sheet}: a list with nested sheets needs an "id" field to tie their rows to it`);
    }
    mutable.idField = 'id';
  }
  b.tables.push(table);
}

function buildFile(file: NetworkFileName, fileSchema: AnySchema): Table[] {
  const stem = file.replace(/\.json$/, '');
  const b: Builder = { file, stem, tables: [] };
  const { schema: top } = unwrap(fileSchema);
  const topDef = def(top);
  const list = topDef.type === 'array';
  const element = list ? unwrap(topDef.element as AnySchema).schema : top;
  if (def(element).type !== 'object') throw new Error(`${file}: expected a list of objects or an object`);
  const root: Table = {
    sheet: stem,
    file,
    stem,
    shape: list ? 'list' : 'single',
    at: [],
    optional: false,
    prefix: '',
    columns: [],
    optionalObjects: [],
    objects: [],
    unions: [],
    scalarValue: false,
    children: [],
  };
  const walk: Walk = { columns: [], optionalObjects: [], objects: [], unions: [], children: [] };
  pending = [];
  walkObject(b, element, [], '', walk, () => root);
  finish(b, root, walk.columns, walk);
  // Children after their parent is complete; their own children queue more work.
  while (pending.length > 0) pending.shift()!();
  return b.tables;
}

/** Data file name → its zod schema, as NETWORK_FILES. */
export type SchemaFiles = Readonly<Record<string, AnySchema>>;

const cache = new WeakMap<SchemaFiles, Layout>();

/**
 * The layout of every data file, in NETWORK_FILES order; each file's root first, then its
 * nested sheets. Other schemas can be laid out too (tests of what a schema change does).
 */
export function networkLayout(schemas: SchemaFiles = NETWORK_FILES): Layout {
  const cached = cache.get(schemas);
  if (cached !== undefined) return cached;
  const tables: Table[] = [];
  const roots = new Map<NetworkFileName, Table | undefined>();
  const byFile = new Map<NetworkFileName, Table[]>();
  for (const file of Object.keys(schemas) as NetworkFileName[]) {
    const fileTables = buildFile(file, schemas[file]!);
    // Breadth-first order as built: root, then children by nesting. Sheet order follows it.
    const sorted = orderTables(fileTables);
    const root = sorted[0]!;
    roots.set(file, root.shape === 'single' && root.columns.length === 0 ? undefined : root);
    const kept = sorted.filter((t) => t.columns.length > 0);
    byFile.set(file, kept);
    tables.push(...kept);
  }
  const bySheet = new Map<string, Table>();
  for (const t of tables) {
    if (t.sheet.length > MAX_SHEET_NAME) throw new Error(`sheet name "${t.sheet}" is longer than Excel's ${MAX_SHEET_NAME} characters`);
    if (bySheet.has(t.sheet)) throw new Error(`two tables would share the sheet name "${t.sheet}"`);
    const headers = new Set<string>();
    for (const c of t.columns) {
      if (headers.has(c.header)) throw new Error(`${t.sheet}: two columns would share the header "${c.header}"`);
      headers.add(c.header);
    }
    bySheet.set(t.sheet, t);
  }
  const layout: Layout = { tables, roots, byFile, bySheet };
  cache.set(schemas, layout);
  return layout;
}

function orderTables(tables: Table[]): Table[] {
  const root = tables.find((t) => t.parent === undefined)!;
  const out: Table[] = [];
  const visit = (t: Table) => {
    out.push(t);
    for (const c of t.children) visit(c);
  };
  visit(root);
  return out;
}

/** Number bounds of a number schema, for data validation and notes. */
export function numberBounds(schema: AnySchema): { min?: number; minInclusive: boolean; max?: number; int: boolean } {
  const s = schema as unknown as { minValue?: number | null; maxValue?: number | null; isInt?: boolean };
  const checks = (def(schema).checks as { _zod: { def: { check: string; value?: number; inclusive?: boolean } } }[] | undefined) ?? [];
  const lower = checks.map((c) => c._zod.def).find((c) => c.check === 'greater_than');
  const minInclusive = lower?.inclusive ?? true;
  // An int's ±MAX_SAFE_INTEGER is zod's own bound, not the data's: leave it out of notes and validation.
  const real = (n: number | null | undefined) => (n === null || n === undefined || Math.abs(n) >= Number.MAX_SAFE_INTEGER ? undefined : n);
  const min = real(s.minValue);
  const max = real(s.maxValue);
  return {
    ...(min === undefined || !Number.isFinite(min) ? {} : { min }),
    minInclusive,
    ...(max === undefined || !Number.isFinite(max) ? {} : { max }),
    int: s.isInt === true,
  };
}
