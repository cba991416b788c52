/**
 * Network data from spreadsheets: an .xlsx workbook (a sheet per data file), or CSV files in a
 * data directory in place of a JSON file (`skus.csv` for skus.json). Validation is the data
 * directory's own (lib/network/load.ts); its issues are named by cell.
 * docs/decisions/0013-spreadsheets.md has the layout and what is accepted.
 */
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Issue } from '#shared/errors.ts';
import { ValidationError } from '#shared/errors.ts';
import { zodIssues } from '../issues.ts';
import { parseNetworkFiles, type ParsedNetwork } from '../load.ts';
import { NETWORK_FILES, type Connection, type NetworkFileName } from '../schemas.ts';
import type { NetworkFiles } from '../types.ts';
import type { Grid } from './grid.ts';
import { networkLayout } from './layout.ts';
import { issuesAtCells, readNetworkSheets, type Position } from './read.ts';
import { sheetsOf } from './write.ts';
import { readSheetFile, writeCsv, writeXlsx } from './xlsx.ts';
import { humanIssue } from '#shared/zod-messages.ts';

export { isSheetFile, readSheetFile } from './xlsx.ts';
export { sheetsOf } from './write.ts';
export { readNetworkSheets, issuesAtCells } from './read.ts';
export { networkLayout } from './layout.ts';

/**
 * Grids → the validated network; throws ValidationError with every problem of every sheet,
 * each named `sheet!A1 <field>: <rule>`.
 * @example parseNetworkSheets(await readSheetFile('data/demo/network.xlsx'))
 */
export function parseNetworkSheets(grids: readonly Grid[], options: { requireConnections?: boolean } = {}): ParsedNetwork {
  const read = readNetworkSheets(grids);
  let parsed: ParsedNetwork | undefined;
  let issues: Issue[] = [];
  try {
    parsed = parseNetworkFiles(read.raw, options);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    issues = sheetIssues(err.issues, read.positions);
  }
  const all = [...read.issues, ...issues];
  if (all.length > 0 || parsed === undefined) throw new ValidationError(all);
  return parsed;
}

/** File-level issues in sheet words ("sheet is missing"), the rest at their cells. */
function sheetIssues(issues: readonly Issue[], positions: ReadonlyMap<string, Position>): Issue[] {
  return issuesAtCells(
    issues.map((i) => (i.path === '' && i.message === 'file is missing' ? { ...i, message: 'sheet is missing' } : i)),
    positions,
  );
}

/** Reads and validates a workbook file. */
export async function readNetworkWorkbook(path: string, options: { requireConnections?: boolean } = {}): Promise<ParsedNetwork> {
  const grids = await readSheetFile(path);
  if (path.toLowerCase().endsWith('.csv')) {
    throw new ValidationError([
      {
        file: basename(path),
        path: '',
        message: 'a CSV file holds one data file: put it in a data directory in place of its JSON file, or check it alone with "silkroute validate --csv"',
      },
    ]);
  }
  return parseNetworkSheets(grids, options);
}

/** The sheets a workbook file has, without validating it. */
export async function workbookSheetNames(path: string): Promise<Set<string>> {
  return new Set((await readSheetFile(path)).map((g) => g.name));
}

/**
 * Validates one CSV file on its own against the schema of the data file it stands for (its
 * name: `skus.csv`, `parcel-services.rates.csv`); cross-file references need the directory.
 * Returns the number of records.
 */
export async function validateCsvFile(path: string): Promise<{ file: NetworkFileName; records: number }> {
  const grids = await readSheetFile(path);
  const grid = grids[0]!;
  const table = networkLayout().bySheet.get(grid.name);
  if (table === undefined) {
    throw new ValidationError([
      { file: basename(path), path: '', message: `unknown data file: name the CSV after one of ${[...networkLayout().bySheet.keys()].map((s) => `${s}.csv`).join(', ')}` },
    ]);
  }
  if (table.parent !== undefined) {
    throw new ValidationError([
      { file: basename(path), path: '', message: `${grid.name} is nested in ${table.file}: check it in a data directory with the file it belongs to` },
    ]);
  }
  const read = readNetworkSheets(grids);
  const value = read.raw[table.file];
  const result = NETWORK_FILES[table.file].safeParse(value, { error: humanIssue });
  const issues = [...read.issues, ...(result.success ? [] : sheetIssues(zodIssues(result.error, table.file), read.positions))];
  if (issues.length > 0) throw new ValidationError(rename(issues, grid.name, basename(path)));
  return { file: table.file, records: Array.isArray(value) ? value.length : 1 };
}

/** CSV issues say `skus.csv!F12`, naming the file that holds the cell. */
function rename(issues: readonly Issue[], sheet: string, file: string): Issue[] {
  return issues.map((i) => ({ ...i, path: i.path.replace(new RegExp(`^${escape(sheet)}(!| row )`), (_m, sep: string) => `${file}${sep}`) }));
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The CSV files of a data directory that stand in for its missing JSON files: for a file
 * `<stem>.json`, every `<stem>.csv` and `<stem>.<nested>.csv`. Returns the raw contents, the
 * positions to name cells by, and the problems of the sheets themselves.
 */
export async function readCsvFiles(
  dir: string,
  missing: readonly NetworkFileName[],
): Promise<{ raw: Partial<Record<NetworkFileName, unknown>>; positions: ReadonlyMap<string, Position>; issues: Issue[]; sources: Map<NetworkFileName, string[]> }> {
  const names = (await readdir(dir)).filter((n) => n.toLowerCase().endsWith('.csv'));
  const layout = networkLayout();
  const sources = new Map<NetworkFileName, string[]>();
  const grids: Grid[] = [];
  for (const file of missing) {
    const sheets = new Set((layout.byFile.get(file) ?? []).map((t) => t.sheet));
    const mine = names.filter((n) => sheets.has(n.replace(/\.csv$/i, '')));
    if (mine.length === 0) continue;
    sources.set(file, mine);
    for (const name of mine) grids.push(...(await readSheetFile(join(dir, name))));
  }
  if (grids.length === 0) return { raw: {}, positions: new Map(), issues: [], sources };
  const read = readNetworkSheets(grids);
  const fix = (issues: readonly Issue[]) => {
    let out = [...issues];
    for (const g of grids) out = rename(out, g.name, `${g.name}.csv`);
    return out;
  };
  return {
    raw: read.raw,
    positions: read.positions,
    issues: fix(read.issues),
    sources,
  };
}

/** Validation issues of CSV-sourced files at their cells (`skus.csv!F12 weightG: …`). */
export function csvIssuesAtCells(issues: readonly Issue[], positions: ReadonlyMap<string, Position>, sheets: readonly string[]): Issue[] {
  let out = sheetIssues(issues, positions);
  for (const s of sheets) out = rename(out, s, `${s}.csv`);
  return out;
}

/**
 * The network as an .xlsx workbook: every sheet of the files given (connections only when
 * given), or, with no files, the empty template.
 */
export async function writeNetworkWorkbook(
  path: string,
  network?: { files: NetworkFiles; connections?: readonly Connection[] },
): Promise<void> {
  await writeXlsx(path, sheetsOf(network === undefined ? undefined : rawFiles(network.files, network.connections)));
}

/** One data file's sheet as CSV (a flat file only: skus, stock, sellers, connections). */
export async function writeNetworkCsv(path: string, file: NetworkFileName, value: unknown): Promise<void> {
  const sheets = sheetsOf({ [file]: value });
  if (sheets.length !== 1) throw new Error(`${file} has nested sheets; it cannot be one CSV file`);
  await writeCsv(path, sheets[0]!);
}

/** NetworkFiles (and connections) keyed by data file name, as the JSON files hold them. */
export function rawFiles(files: NetworkFiles, connections?: readonly Connection[]): Partial<Record<NetworkFileName, unknown>> {
  return {
    'sellers.json': files.sellers,
    'skus.json': files.skus,
    'parcel-services.json': files.parcelServices,
    'rail-lanes.json': files.railLanes,
    'warehouses.json': files.warehouses,
    'stock.json': files.stock,
    'duties.json': files.duties,
    'fx.json': files.fx,
    ...(connections === undefined ? {} : { 'connections.json': connections }),
  };
}
