/**
 * A sheet as plain rows of cell values, between the file format (lib/network/sheets/xlsx.ts,
 * exceljs) and the network (read.ts, write.ts), so the mapping is pure and fast to test.
 */

/** A cell as the reader sees it: formulas already replaced by their result, rich text by its text. */
export type CellValue = string | number | boolean | Date | null;

export interface Grid {
  readonly name: string;
  /** rows[0] is row 1 (the field names); a missing cell is null. */
  readonly rows: readonly (readonly CellValue[])[];
}

/** A sheet to write: the grid plus per-column notes and data validation. */
export interface SheetSpec extends Grid {
  readonly columns: readonly ColumnSpec[];
}

export interface ColumnSpec {
  /** The note on the header cell: meaning, allowed values, an example. */
  readonly note: string;
  /** Data validation for the data cells, where Excel has one. */
  readonly validation?:
    | { readonly type: 'list'; readonly values: readonly string[] }
    | { readonly type: 'decimal' | 'whole'; readonly min?: number; readonly max?: number };
  /** Text format ('@'): keeps codes like HS 010121 and dates as typed. */
  readonly text: boolean;
  readonly width: number;
}

/** Sheet names the reader skips: instructions in a workbook. */
export const NOTES_SHEETS = new Set(['说明', 'README', 'readme', 'notes']);

/** `A1` style address of a 0-based column and 1-based row. */
export function address(column: number, row: number): string {
  let n = column + 1;
  let letters = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    letters = String.fromCharCode(65 + r) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return `${letters}${row}`;
}
