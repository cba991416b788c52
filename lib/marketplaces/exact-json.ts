/**
 * JSON with exact 64-bit ids. Shopify numbers orders, line items and customers with integers up
 * to 2^63; `JSON.parse` turns any above 2^53 into the nearest double (820982911946154508 becomes
 * 820982911946154500), so two orders could share a business key and the id we record would not be
 * the shop's. Node 24's JSON.parse gives a reviver each primitive's source text
 * (TC39 "JSON.parse source text access"): an integer literal that is not a safe integer is kept
 * as its exact digits, a string. Everything else parses as `JSON.parse` would.
 */
import { HttpError } from '#http/errors.ts';

type Reviver = (this: unknown, key: string, value: unknown, context?: { source?: string }) => unknown;

const INTEGER = /^-?\d+$/;

/** Parses `text`, keeping unsafe integer literals as digit strings. */
export function parseExactJson(text: string): unknown {
  const reviver: Reviver = (_key, value, context) => {
    if (typeof value === 'number' && !Number.isSafeInteger(value) && context?.source !== undefined && INTEGER.test(context.source)) {
      return context.source;
    }
    return value;
  };
  return JSON.parse(text, reviver as Parameters<typeof JSON.parse>[1]);
}

/** The raw body as JSON with exact ids; a 400 naming the problem, as parseJson answers. */
export function parseExactJsonBody(bytes: Buffer): unknown {
  const text = bytes.toString('utf8');
  if (text.trim() === '') throw new HttpError(400, 'invalid-json', 'The body is empty; expected a JSON document.');
  try {
    return parseExactJson(text);
  } catch (error) {
    throw new HttpError(400, 'invalid-json', `The body is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}
