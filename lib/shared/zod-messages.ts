/**
 * zod's issues in words for the people who read them — a platform developer reading a 400, an
 * exporter reading `silkroute validate` — instead of zod's defaults ("Too small: expected number
 * to be >0", "Invalid ISO datetime", "must match pattern ^[A-Z]{3}$"). Every message says what
 * form was expected, with an example where a format has one; the path names the field.
 * A schema's own message (`.regex(re, 'expected …')`) still wins: this map is passed per parse,
 * and zod consults it only for issues without one (docs/decisions/0049).
 *
 * @example schema.safeParse(value, { error: humanIssue })
 */
import type * as z from 'zod';

/** Longest list of allowed values spelled out in full; a longer one is shortened with a count. */
const MAX_VALUES = 12;

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  bigint: 'a whole number',
  array: 'a list',
  tuple: 'a list',
  object: 'an object',
  record: 'an object',
  map: 'an object',
  set: 'a list',
  date: 'a date',
  null: 'null',
  undefined: 'nothing',
  nan: 'a number',
  literal: 'a fixed value',
};

const FORMAT_WORDS: Record<string, string> = {
  datetime: 'a date and time in ISO 8601 with a time zone, such as "2026-12-02T09:00:00+08:00" or "2026-12-02T01:00:00Z"',
  date: 'a date written YYYY-MM-DD, such as "2026-12-13"',
  time: 'a time written HH:MM[:SS], such as "18:00"',
  duration: 'an ISO 8601 duration such as "P3D"',
  email: 'an email address such as "orders@example.com"',
  url: 'a URL such as "https://example.com/"',
  uuid: 'a UUID such as "9b2c8f6e-3f1a-4c2b-9a55-0d6f5d0e8a11"',
  guid: 'a UUID such as "9b2c8f6e-3f1a-4c2b-9a55-0d6f5d0e8a11"',
  base64: 'base64 text',
  base64url: 'base64url text',
  ipv4: 'an IPv4 address such as "192.0.2.1"',
  ipv6: 'an IPv6 address',
  e164: 'a phone number in E.164 form such as "+8613800000000"',
};

/** A value as a reader recognises it: short strings and numbers as written, the rest by kind. */
function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return value.length <= 40 ? JSON.stringify(value) : 'a longer string';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value === 'object' ? 'object' : typeof value}`.replace(/^a o/, 'an o');
}

function typeWord(expected: string): string {
  return TYPE_WORDS[expected] ?? expected;
}

function valuesWord(values: readonly unknown[]): string {
  const words = values.map((v) => (typeof v === 'string' ? v : String(v)));
  if (words.length === 1) return `expected ${JSON.stringify(values[0])}`;
  if (words.length <= MAX_VALUES) return `expected one of ${words.join(', ')}`;
  return `expected one of ${words.slice(0, 8).join(', ')} … (${words.length} values in all)`;
}

const plural = (n: number | bigint, one: string, many: string) => `${n} ${Number(n) === 1 ? one : many}`;

function sizeWords(origin: string): [string, string] | undefined {
  if (origin === 'string') return ['character', 'characters'];
  if (origin === 'array' || origin === 'set') return ['item', 'items'];
  if (origin === 'file') return ['byte', 'bytes'];
  return undefined;
}

/** A number bound in words; an exclusive bound on a whole number becomes the inclusive one. */
function numberBound(whole: boolean, bound: number | bigint, inclusive: boolean | undefined, side: 'min' | 'max'): string {
  const what = whole ? 'a whole number' : 'a number';
  if (whole && inclusive !== true && typeof bound === 'number' && Number.isInteger(bound)) {
    return `expected ${what} of ${side === 'min' ? 'at least' : 'at most'} ${side === 'min' ? bound + 1 : bound - 1}`;
  }
  if (side === 'min') return inclusive === true ? `expected ${what} of at least ${bound}` : `expected ${what} greater than ${bound}`;
  return inclusive === true ? `expected ${what} of at most ${bound}` : `expected ${what} less than ${bound}`;
}

/** Is the issue's schema a whole number (`.int()` adds a `number_format` check with an integer format)? */
function isWhole(issue: z.core.$ZodRawIssue): boolean {
  if (issue.origin === 'int' || issue.origin === 'bigint') return true;
  const checks = (issue.schema as { _zod?: { def?: { checks?: { _zod: { def: { check?: string; format?: string } } }[] } } } | undefined)?._zod?.def?.checks ?? [];
  return checks.some((c) => c._zod.def.check === 'number_format' && /int/.test(c._zod.def.format ?? ''));
}

const gotNumber = (input: unknown) => (typeof input === 'number' ? `, got ${input}` : '');

/** The message of one zod issue as a reader should see it (the path is prefixed by the caller). */
export function humanIssue(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = typeWord(String(issue.expected));
      if (issue.input === undefined) return `required (expected ${expected})`;
      if (issue.expected === 'int' && typeof issue.input === 'number') return `expected a whole number, got ${shown(issue.input)}`;
      return `expected ${expected}, got ${shown(issue.input)}`;
    }
    case 'too_small': {
      const size = sizeWords(String(issue.origin));
      if (size === undefined) return numberBound(isWhole(issue), issue.minimum, issue.inclusive, 'min') + gotNumber(issue.input);
      if (issue.exact === true) return `expected exactly ${plural(issue.minimum, ...size)}`;
      if (Number(issue.minimum) === 1 && issue.origin === 'string') return 'expected a non-empty string';
      if (Number(issue.minimum) === 1) return 'expected at least one item';
      return `expected at least ${plural(issue.minimum, ...size)}`;
    }
    case 'too_big': {
      const size = sizeWords(String(issue.origin));
      if (size === undefined) return numberBound(isWhole(issue), issue.maximum, issue.inclusive, 'max') + gotNumber(issue.input);
      if (issue.exact === true) return `expected exactly ${plural(issue.maximum, ...size)}`;
      return `expected at most ${plural(issue.maximum, ...size)}`;
    }
    case 'invalid_format': {
      const format = String(issue.format);
      const got = typeof issue.input === 'string' ? `, got ${shown(issue.input)}` : '';
      if (format === 'starts_with') return `expected a string starting with ${JSON.stringify(issue.prefix)}${got}`;
      if (format === 'ends_with') return `expected a string ending with ${JSON.stringify(issue.suffix)}${got}`;
      if (format === 'includes') return `expected a string containing ${JSON.stringify(issue.includes)}${got}`;
      // A pattern is for machines; a schema that has one gives its own message for people.
      if (format === 'regex') return `is not in the expected form${got}`;
      return `expected ${FORMAT_WORDS[format] ?? `a ${format} value`}${got}`;
    }
    case 'not_multiple_of':
      return `expected a multiple of ${issue.divisor}, got ${shown(issue.input)}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')} (leave ${issue.keys.length === 1 ? 'it' : 'them'} out)`;
    case 'invalid_value':
      if (issue.input === undefined) return `required (${valuesWord(issue.values)})`;
      return `${valuesWord(issue.values)}, got ${shown(issue.input)}`;
    case 'invalid_union': {
      const options = Array.isArray(issue.options) ? (issue.options as unknown[]) : [];
      if (typeof issue.discriminator === 'string' && options.length > 0) {
        return `expected ${issue.discriminator} to be ${valuesWord(options).replace(/^expected /, '')}`;
      }
      if (issue.inclusive === false) return 'matches more than one of the accepted forms; make it match exactly one';
      // The branch that came closest says best what is wrong.
      const closest = [...(issue.errors ?? [])].sort((a, b) => a.length - b.length)[0];
      const first = closest?.[0];
      if (first !== undefined && first.path.length === 0) return first.message;
      return 'matches none of the accepted forms';
    }
    case 'invalid_key':
      return `has a key that is not allowed: ${issue.issues[0]?.message ?? 'unexpected key'}`;
    case 'invalid_element':
      return `has an element that is not allowed: ${issue.issues[0]?.message ?? 'unexpected element'}`;
    default:
      return 'is not valid here';
  }
}
