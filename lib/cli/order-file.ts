/**
 * Reading a canonical order (ROUTING.md §7) from a JSON file, with errors that name the file
 * and the field, and parsing the `--now` option.
 */
import { readFile } from 'node:fs/promises';
import { jsonSyntaxIssue, zodIssues } from '#network/issues.ts';
import { CanonicalOrder, IsoDateTime } from '#network/schemas.ts';
import { ValidationError } from '#shared/errors.ts';
import { humanIssue } from '#shared/zod-messages.ts';

/**
 * Read and validate one order file; throws ValidationError naming `file` and the JSON path.
 * @example await readOrderFile('events/orders/direct-parcel.json')
 */
export async function readOrderFile(file: string): Promise<CanonicalOrder> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? 'file not found' : `cannot read: ${(err as Error).message}`;
    throw new ValidationError([{ file, path: '', message }], { cause: err });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new ValidationError([jsonSyntaxIssue(file, text, err)], { cause: err });
  }
  const result = CanonicalOrder.safeParse(raw, { error: humanIssue });
  if (!result.success) throw new ValidationError(zodIssues(result.error, file));
  return result.data;
}

/** `--now` as a Date: an ISO-8601 date-time with `Z` or an offset (a bare date is ambiguous). */
export function parseNow(text: string): Date {
  if (!IsoDateTime.safeParse(text).success) {
    throw new ValidationError([
      { path: '--now', message: `expected an ISO-8601 date-time such as 2026-11-23T09:00:00+08:00, got "${text}"` },
    ]);
  }
  return new Date(text);
}
