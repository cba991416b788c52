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
 * A JSON.parse failure as an Issue with line and column.
 * @example jsonSyntaxIssue('fx.json', '{"a": 1,}', err) → { file: 'fx.json', path: '', message: 'invalid JSON at line 1, column 9: unexpected "}"' }
 */
export function jsonSyntaxIssue(file: string, text: string, error: unknown): Issue {
  if (text.trim() === '') return { file, path: '', message: 'invalid JSON: the file is empty' };
  // V8 gives a position for some errors only, and words them differently across versions:
  // find the spot ourselves so every bad file gets a line and column.
  const found = findJsonError(text);
  if (found !== undefined) {
    const before = text.slice(0, found.offset);
    const line = before.split('\n').length;
    const column = found.offset - before.lastIndexOf('\n');
    return { file, path: '', message: `invalid JSON at line ${line}, column ${column}: ${found.message}` };
  }
  const raw = error instanceof Error ? error.message : String(error);
  return { file, path: '', message: `invalid JSON: ${raw}` };
}

/** Where strict JSON (RFC 8259) first goes wrong in `text`, or undefined when it parses. */
export function findJsonError(text: string): { offset: number; message: string } | undefined {
  let i = 0;
  const fail = (message: string): never => {
    throw { offset: i, message };
  };
  const what = () => (i >= text.length ? 'unexpected end of input' : `unexpected ${JSON.stringify(text[i])}`);
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const literal = (word: string) => {
    for (const ch of word) {
      if (text[i] !== ch) fail(what());
      i++;
    }
  };
  const string = () => {
    i++; // opening quote
    while (i < text.length) {
      const ch = text[i]!;
      if (ch === '"') return void i++;
      if (ch === '\\') {
        i++;
        const esc = text[i];
        if (esc === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail('bad \\u escape in string');
          i += 5;
        } else if (esc !== undefined && '"\\/bfnrt'.includes(esc)) i++;
        else fail('bad escape in string');
      } else if (ch < ' ') fail('control character in string (escape it)');
      else i++;
    }
    fail('unterminated string');
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (m === null || m[0] === '' || m[0] === '-') fail(what());
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`expected a double-quoted property name, ${what()}`);
        string();
        ws();
        if (text[i] !== ':') fail(`expected ":", ${what()}`);
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail(`expected "," or "}", ${what()}`);
      }
    }
    if (ch === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail(`expected "," or "]", ${what()}`);
      }
    }
    if (ch === '"') return string();
    if (ch === 't') return literal('true');
    if (ch === 'f') return literal('false');
    if (ch === 'n') return literal('null');
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return number();
    fail(`expected a value, ${what()}`);
  };
  try {
    value();
    ws();
    if (i < text.length) fail(`unexpected ${JSON.stringify(text[i])} after the JSON value`);
    return undefined;
  } catch (e) {
    if (typeof e === 'object' && e !== null && 'offset' in e) return e as { offset: number; message: string };
    throw e;
  }
}
