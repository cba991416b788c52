/**
 * Turning zod issues into the project's `Issue` (file + JSON path + plain message), so every
 * layer that validates network data or orders reports errors the same way:
 * `skus.json: [3].dimsCm: expected 3 positive numbers`.
 */
import type { z } from 'zod';
import type { Issue } from '#shared/errors.ts';

const PLAIN_KEY = /^[A-Za-z0-9_$-]+$/;

/**
 * A JSON path in the form `[3].dimsCm` or `rates.DE.perKg`; odd keys are quoted (`["a b"]`).
 * @example formatPath([3, 'dimsCm']) === '[3].dimsCm'
 */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && PLAIN_KEY.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}

/** One zod issue as plain words: zod's "Invalid input: " preamble dropped, missing fields called required. */
export function describeZodIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type': {
      // zod 4 words a missing field as "received undefined"; a reader wants "required".
      if (/received undefined$/.test(issue.message)) return `required (expected ${issue.expected})`;
      return issue.message.replace(/^Invalid input: /, '');
    }
    case 'invalid_key': {
      const inner = issue.issues.map((i) => describeZodIssue(i)).join('; ');
      return `invalid key: ${inner}`;
    }
    case 'invalid_union': {
      // Each branch failed; saying what each branch wanted is more useful than "Invalid input".
      const wants = issue.errors
        .map((branch) => branch.map((i) => describeZodIssue(i)).join('; '))
        .filter((s) => s !== '');
      return wants.length > 0 ? `expected one of: ${[...new Set(wants)].join(' | ')}` : issue.message;
    }
    case 'invalid_value':
      return issue.message.replace(/^Invalid (input|option): /, '');
    default:
      return issue.message.replace(/^Invalid input: /, '');
  }
}

/** Map a zod error to Issues of one file (or of no file, for a request body). */
export function zodIssues(error: z.ZodError, file?: string): Issue[] {
  return error.issues.map((i) => ({
    ...(file === undefined ? {} : { file }),
    path: formatPath(i.path),
    message: describeZodIssue(i),
  }));
}

/**
 * A JSON.parse failure as an Issue with line and column when the engine tells the offset.
 * @example jsonSyntaxIssue('fx.json', text, err) → { file: 'fx.json', path: '', message: 'invalid JSON at line 3, column 1: …' }
 */
export function jsonSyntaxIssue(file: string, text: string, error: unknown): Issue {
  const raw = error instanceof Error ? error.message : String(error);
  // V8 says "... at position 14 (line 3 column 3)"; compute line/column ourselves so the
  // message does not depend on the engine's wording beyond the position.
  const detail = raw.replace(/\s*in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)$/, '');
  const pos = /position (\d+)/.exec(raw);
  if (pos?.[1] !== undefined) {
    const offset = Number(pos[1]);
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    return { file, path: '', message: `invalid JSON at line ${line}, column ${column}: ${detail}` };
  }
  if (text.trim() === '') return { file, path: '', message: 'invalid JSON: the file is empty' };
  if (/end of JSON input/i.test(raw)) {
    const lines = text.split('\n');
    return {
      file,
      path: '',
      message: `invalid JSON at line ${lines.length}, column ${lines.at(-1)!.length + 1}: unexpected end of input`,
    };
  }
  return { file, path: '', message: `invalid JSON: ${detail}` };
}
