/**
 * The file formats, through exceljs (a maintained reader and writer of .xlsx and CSV): a
 * workbook or CSV file ↔ plain grids (grid.ts). Nothing here knows the network.
 */
import { basename, extname } from 'node:path';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { ValidationError } from '#shared/errors.ts';
import type { CellValue, Grid, SheetSpec } from './grid.ts';

/** Rows of the template that carry data validation (row 3 onwards). */
export const VALIDATED_ROWS = 1000;
const FIXED_DATE = new Date('2026-01-01T00:00:00Z');

const INSTRUCTIONS: readonly string[][] = [
  ['Silkroute network workbook / 网络数据表'],
  [''],
  ['Row 1: the field name as in the JSON data files (nested fields as dotted paths). Keep it as it is.'],
  ['第 1 行：字段名（与 JSON 数据文件一致），请勿修改。'],
  ['Row 2: the same in Chinese with its unit. Data starts in row 3. 第 2 行：中文名称与单位；数据从第 3 行开始。'],
  ['A sheet named a.b holds what the a sheet nests under b, one row per entry, led by the columns of the row it belongs to.'],
  ['名为 a.b 的工作表是 a 表中 b 字段的明细，每条一行，前几列写明所属记录。'],
  ['Lists in one cell are comma separated: 28, 22, 2 · transit days 10, 20 · weekdays TUE, FRI。一个单元格内的多个值用逗号分隔。'],
  ['Check: npx silkroute validate --xlsx <file> · load: npx silkroute import --xlsx <file>'],
];

/** Writes sheets as an .xlsx: bold field names, a frozen label row, notes and data validation. */
export async function writeXlsx(path: string, sheets: readonly SheetSpec[], options: { instructions?: boolean } = {}): Promise<void> {
  await buildWorkbook(sheets, options).xlsx.writeFile(path);
}

/** The .xlsx bytes of `sheets` (writeXlsx without the file). */
export async function xlsxBytes(sheets: readonly SheetSpec[], options: { instructions?: boolean } = {}): Promise<Uint8Array> {
  return new Uint8Array(await buildWorkbook(sheets, options).xlsx.writeBuffer());
}

/** Grids of .xlsx bytes (readSheetFile without the file). */
export async function readXlsxBytes(bytes: Uint8Array): Promise<Grid[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return gridsOf(workbook, false, '');
}

function buildWorkbook(sheets: readonly SheetSpec[], options: { instructions?: boolean }): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  // Fixed metadata: regenerating the demo workbook from the same data gives the same content.
  workbook.creator = 'silkroute';
  workbook.created = FIXED_DATE;
  workbook.modified = FIXED_DATE;
  if (options.instructions !== false) {
    const notes = workbook.addWorksheet('说明');
    for (const row of INSTRUCTIONS) notes.addRow(row);
    notes.getColumn(1).width = 120;
    notes.getRow(1).font = { bold: true };
  }
  for (const sheet of sheets) {
    const ws = workbook.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: 2 }] });
    sheet.columns.forEach((column, i) => {
      const col = ws.getColumn(i + 1);
      col.width = column.width;
      if (column.text) col.numFmt = '@';
    });
    for (const row of sheet.rows) ws.addRow(row.map((v) => (v === null ? null : v)));
    ws.getRow(1).font = { bold: true };
    ws.getRow(2).font = { italic: true, color: { argb: 'FF666666' } };
    // exceljs has range validations (sqref "A3:A1002") but leaves them out of its typings.
    const validations = (ws as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }).dataValidations;
    sheet.columns.forEach((column, i) => {
      ws.getCell(1, i + 1).note = column.note;
      const v = column.validation;
      if (v === undefined) return;
      const letter = ws.getColumn(i + 1).letter;
      const range = `${letter}3:${letter}${Math.max(VALIDATED_ROWS, sheet.rows.length) + 2}`;
      if (v.type === 'list') {
        const list = v.values.join(',');
        if (list.length > 250) return; // Excel's limit for an inline list
        validations.add(range, { type: 'list', allowBlank: true, formulae: [`"${list}"`], showErrorMessage: true });
      } else if (v.min !== undefined && v.max !== undefined) {
        validations.add(range, { type: v.type, operator: 'between', allowBlank: true, formulae: [v.min, v.max], showErrorMessage: true });
      } else if (v.min !== undefined) {
        validations.add(range, { type: v.type, operator: 'greaterThanOrEqual', allowBlank: true, formulae: [v.min], showErrorMessage: true });
      } else if (v.max !== undefined) {
        validations.add(range, { type: v.type, operator: 'lessThanOrEqual', allowBlank: true, formulae: [v.max], showErrorMessage: true });
      } else {
        validations.add(range, { type: v.type, operator: 'greaterThanOrEqual', allowBlank: true, formulae: [-1e15], showErrorMessage: true });
      }
    });
  }
  return workbook;
}

/** Writes one sheet as CSV (UTF-8 with a BOM, so Excel shows Chinese right). */
export async function writeCsv(path: string, sheet: SheetSpec): Promise<void> {
  await csvWorkbook(sheet).csv.writeFile(path, CSV_WRITE);
}

/** The CSV bytes of one sheet (writeCsv without the file). */
export async function csvBytes(sheet: SheetSpec): Promise<Uint8Array> {
  return new Uint8Array(await csvWorkbook(sheet).csv.writeBuffer(CSV_WRITE));
}

/** The grid of CSV bytes, named `name` (readSheetFile without the file). */
export async function readCsvBytes(bytes: Uint8Array, name: string): Promise<Grid[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.csv.read(Readable.from([Buffer.from(bytes)]), CSV_READ as never);
  return gridsOf(workbook, true, name);
}

// Quoted cells: a cell of white space alone (a tab) would otherwise read back blank.
const CSV_WRITE = { formatterOptions: { writeBOM: true, quoteColumns: true } };
// Every field as the text it is: the reader converts per column (an HS code keeps its zeros).
const CSV_READ = { map: (value: unknown) => value, parserOptions: {} };

function csvWorkbook(sheet: SheetSpec): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  const ws = workbook.addWorksheet(sheet.name);
  for (const row of sheet.rows) ws.addRow(row.map((v) => (v === null ? null : v)));
  return workbook;
}

/** Is this a file the sheet reader takes? */
export function isSheetFile(path: string): boolean {
  return ['.xlsx', '.xlsm', '.csv'].includes(extname(path).toLowerCase());
}

/**
 * Reads an .xlsx (every sheet) or a .csv (one sheet, named after the file: `skus.csv` → skus)
 * into grids. A file exceljs cannot read is a ValidationError naming it.
 */
export async function readSheetFile(path: string): Promise<Grid[]> {
  const workbook = new ExcelJS.Workbook();
  const csv = extname(path).toLowerCase() === '.csv';
  try {
    if (csv) {
      await workbook.csv.readFile(path, CSV_READ as never);
    } else {
      await workbook.xlsx.readFile(path);
    }
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ValidationError([{ file: basename(path), path: '', message: `cannot read as ${csv ? 'CSV' : 'an .xlsx workbook'}: ${reason}` }], { cause: err });
  }
  return gridsOf(workbook, csv, basename(path).replace(/\.csv$/i, ''));
}

function gridsOf(workbook: ExcelJS.Workbook, csv: boolean, csvName: string): Grid[] {
  const grids: Grid[] = [];
  workbook.eachSheet((ws) => {
    const rows: CellValue[][] = [];
    ws.eachRow({ includeEmpty: true }, (row, rowNumber) => {
      const cells: CellValue[] = [];
      row.eachCell({ includeEmpty: true }, (cell, colNumber) => {
        cells[colNumber - 1] = cellValue(cell.value, csv);
      });
      for (let i = 0; i < cells.length; i++) if (cells[i] === undefined) cells[i] = null;
      rows[rowNumber - 1] = cells;
    });
    for (let i = 0; i < rows.length; i++) if (rows[i] === undefined) rows[i] = [];
    grids.push({ name: csv ? csvName : ws.name, rows });
  });
  return grids;
}

function cellValue(value: ExcelJS.CellValue, csv: boolean): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') {
    // A CSV saved by Excel starts with a BOM; a CSV cell is text the reader converts per column.
    const text = value.replace(/^\uFEFF/, '');
    return csv && text === '' ? null : text;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('result' in value) return cellValue((value as { result?: ExcelJS.CellValue }).result ?? null, csv);
    if ('formula' in value || 'sharedFormula' in value) return null;
    if ('text' in value && 'hyperlink' in value) {
      const text = (value as { text: unknown }).text;
      return typeof text === 'string' ? text : cellValue(text as ExcelJS.CellValue, csv);
    }
    if ('error' in value) return String((value as { error: unknown }).error);
  }
  return String(value);
}
