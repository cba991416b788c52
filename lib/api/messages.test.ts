/**
 * Every error message an API or CLI user can see is written for people: bad inputs, made by
 * breaking each field of a valid sample in turn, fed to every request schema of the API, every
 * webhook payload and every network data file; none may come back in zod's default phrasing.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { HttpError } from '#http/errors.ts';
import { validate } from '#http/http.ts';
import { WEBHOOK_PAYLOADS } from '#marketplaces/webhook.ts';
import { zodIssues } from '#network/issues.ts';
import { CanonicalOrder, NETWORK_FILES } from '#network/schemas.ts';
import { humanIssue } from '#shared/zod-messages.ts';
import { REQUEST_EXAMPLES } from './openapi.ts';

/** zod's English defaults (zod/v4/locales/en.js), in every form they take. */
const ZOD_DEFAULTS = [
  /Too (small|big)/,
  /Invalid (input|option|string|number|key|value|discriminator|ISO|email|URL|UUID|date)/,
  /Unrecognized keys?:/,
  /expected \w+ to (be|have) [<>=]/,
  /received (undefined|string|number|object|array|boolean|null|nan)\b/,
  /must match pattern/,
];

const BAD_LEAVES: readonly unknown[] = [undefined, null, '', 'x', 'x'.repeat(300), -1, 0, 1.5, 1e12, true, {}, [], '2026-13-45', '2026-12-02T25:00'];

/** Every variant of `value` with one leaf (or one list) broken. */
function* broken(value: unknown, depth = 0): Generator<unknown> {
  if (depth > 6) return;
  if (Array.isArray(value)) {
    yield [];
    yield Array.from({ length: 501 }, () => value[0]);
    for (let i = 0; i < Math.min(value.length, 2); i++) for (const b of broken(value[i], depth + 1)) yield value.map((v, j) => (j === i ? b : v));
    return;
  }
  if (value !== null && typeof value === 'object') {
    yield { ...value, notAField: 1 };
    for (const key of Object.keys(value)) {
      for (const b of broken((value as Record<string, unknown>)[key], depth + 1)) {
        const copy: Record<string, unknown> = { ...value };
        if (b === undefined) delete copy[key];
        else copy[key] = b;
        yield copy;
      }
    }
    return;
  }
  yield* BAD_LEAVES;
}

function messagesOf(parse: (value: unknown) => string[], sample: unknown): string[] {
  const out: string[] = [];
  for (const value of broken(sample)) out.push(...parse(value));
  return out;
}

const http = (schema: z.ZodType) => (value: unknown) => {
  try {
    validate(schema, value);
    return [];
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    return (error.details as { path: string; message: string }[]).map((d) => `${d.path}: ${d.message}`);
  }
};
const file = (schema: z.ZodType) => (value: unknown) => {
  const result = schema.safeParse(value, { error: humanIssue });
  return result.success ? [] : zodIssues(result.error).map((i) => `${i.path}: ${i.message}`);
};

function expectHuman(messages: string[]): void {
  expect(messages.length).toBeGreaterThan(0);
  const defaults = messages.filter((m) => ZOD_DEFAULTS.some((re) => re.test(m)));
  expect([...new Set(defaults)].slice(0, 10)).toEqual([]);
}

const json = (path: string) => JSON.parse(readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8'));

describe('error messages for people', () => {
  it('recognises zod defaults (the check can fail)', () => {
    const raw = CanonicalOrder.safeParse({ lines: [{ qty: 0 }], placedAt: 'yesterday' });
    expect(raw.success).toBe(false);
    expect(raw.error!.issues.some((i) => ZOD_DEFAULTS.some((re) => re.test(i.message)))).toBe(true);
  });

  for (const [name, { schema, example }] of Object.entries(REQUEST_EXAMPLES)) {
    it(`${name}: every broken field of the documented example is named in words`, () => {
      expect(schema.safeParse(example).success).toBe(true);
      expectHuman(messagesOf(http(schema), example));
    });
  }

  const webhookSamples = {
    ShopifyOrder: json('events/webhooks/shopify-orders-create.json'),
    WooCommerceOrder: json('events/webhooks/woocommerce-order-created.json'),
    StandardOrderCreated: json('events/webhooks/standard-order-created.json'),
  };
  for (const [name, schema] of Object.entries(WEBHOOK_PAYLOADS)) {
    it(`webhook ${name}: every broken field of the sample is named in words`, () => {
      const sample = (webhookSamples as Record<string, { body?: unknown }>)[name];
      const body = sample?.body ?? sample;
      expectHuman(messagesOf(http(schema), body));
    });
  }

  it('the CLI order file and every network data file of the demo', () => {
    expectHuman(messagesOf(file(CanonicalOrder), json('events/orders/split.json')));
    for (const [name, schema] of Object.entries(NETWORK_FILES)) {
      const sample = json(`data/demo/${name}`);
      // The first records carry every shape; breaking all of a large file adds time, not cases.
      const head = Array.isArray(sample) ? sample.slice(0, 2) : sample;
      expectHuman(messagesOf(file(schema), head));
    }
  });

  it('says what form was expected, with an example', () => {
    const messages = messagesOf(http(CanonicalOrder), json('events/orders/split.json'));
    expect(messages).toContain('placedAt: expected a date and time in ISO 8601 with a time zone, such as "2026-12-02T09:00:00+08:00" or "2026-12-02T01:00:00Z", got "x"');
    expect(messages).toContain('lines[0].qty: expected a whole number of at least 1, got 0');
    expect(messages).toContain('lines: expected at most 100 items');
    expect(http(CanonicalOrder)({ ...json('events/orders/split.json'), serviceLevel: 'x' })).toEqual(['serviceLevel: expected one of economy, standard, express, got "x"']);
  });
});
