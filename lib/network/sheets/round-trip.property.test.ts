/**
 * network → workbook (.xlsx bytes through exceljs) → network keeps every value, for networks
 * generated from the zod schemas themselves: a field added to a schema is generated, written
 * and read back here without a change to this test.
 */
import fc from 'fast-check';
import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { NETWORK_FILES, type NetworkFileName } from '../schemas.ts';
import { numberBounds, unwrap } from './layout.ts';
import { readNetworkSheets } from './read.ts';
import { sheetsOf } from './write.ts';
import { networkLayout } from './layout.ts';
import { csvBytes, readCsvBytes, readXlsxBytes, xlsxBytes } from './xlsx.ts';

type AnySchema = z.core.$ZodType;
type Def = Record<string, unknown> & { type: string; checks?: { _zod: { def: Record<string, unknown> } }[] };
const def = (s: AnySchema) => (s as unknown as { _zod: { def: Def } })._zod.def;
const checks = (s: AnySchema) => (def(s).checks ?? []).map((c) => c._zod.def);

/** Text a spreadsheet cell holds: Chinese, punctuation, spaces at either end, things that look like numbers or formulas. */
const text = (min: number) =>
  fc.string({
    unit: fc.constantFrom(...'aZ09 ,.;:"\'=-+_/\\()中文仓库€é\t1e5'.split('')),
    minLength: Math.max(1, min),
    maxLength: Math.max(12, min + 4),
  });

function isoDate(): fc.Arbitrary<string> {
  return fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
}

function isoDateTime(): fc.Arbitrary<string> {
  return fc
    .tuple(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }), fc.constantFrom('Z', '+08:00', '-05:30'))
    .map(([d, offset]) => d.toISOString().slice(0, 19) + offset);
}

function stringArb(s: AnySchema): fc.Arbitrary<string> {
  const format = (s as unknown as { format?: string | null }).format;
  if (format === 'email') return fc.emailAddress();
  if (format === 'date') return isoDate();
  if (format === 'datetime') return isoDateTime();
  const regex = checks(s).find((c) => c.check === 'string_format' && c.pattern instanceof RegExp)?.pattern as RegExp | undefined;
  if (regex !== undefined) return fc.stringMatching(regex);
  return text(minLength(s));
}

function numberArb(s: AnySchema): fc.Arbitrary<number> {
  const b = numberBounds(s);
  if (b.int) {
    const min = b.min === undefined ? -1e6 : b.minInclusive ? b.min : b.min + 1;
    return fc.integer({ min, max: b.max ?? 1e9 });
  }
  return fc
    .double({ min: b.min ?? -1e9, max: b.max ?? 1e9, noNaN: true, noDefaultInfinity: true })
    .filter((x) => b.minInclusive || b.min === undefined || x > b.min)
    .map((x) => (x === 0 ? 0 : x)); // -0 is not a value a sheet (or JSON) keeps apart from 0
}

const minLength = (s: AnySchema) => (checks(s).find((c) => c.check === 'min_length')?.minimum as number | undefined) ?? 0;

/** A value the schema accepts; refinements (sorted bands, min ≤ max) are met by filtering. */
function arb(schema: AnySchema): fc.Arbitrary<unknown> {
  const { schema: s, nullable } = unwrap(schema);
  const inner = arbOf(s);
  const refined = checks(s).some((c) => c.check === 'custom') ? inner.filter((v) => z.safeParse(s as z.ZodType, v).success) : inner;
  return nullable ? fc.option(refined, { nil: null }) : refined;
}

function arbOf(s: AnySchema): fc.Arbitrary<unknown> {
  const d = def(s);
  switch (d.type) {
    case 'string':
      return stringArb(s);
    case 'number':
      return numberArb(s);
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...Object.values(d.entries as Record<string, string>));
    case 'literal':
      return fc.constantFrom(...(d.values as unknown[]));
    case 'union':
      return fc.oneof(...(d.options as AnySchema[]).map(arb));
    case 'tuple':
      return fc.tuple(...(d.items as AnySchema[]).map(arb));
    case 'array': {
      const element = d.element as AnySchema;
      // A list of objects is rows of a nested sheet: an empty optional one reads back absent
      // (docs/decisions/0013-spreadsheets.md), so present ones have a row.
      const objects = def(unwrap(element).schema).type === 'object';
      if (!objects && def(unwrap(element).schema).type === 'number') {
        // e.g. dimsCm: three numbers in one cell; any length is written and read the same.
        return fc.array(arb(element), { minLength: Math.max(minLength(s), 1), maxLength: 3 }).map((a) => (a.length === 3 ? a : [1, 2, 3]));
      }
      // A record's id keys its rows in the child sheets, and the reader refuses two rows of one id
      // (0013): a network is generated with ids unique per file, as a valid one has them.
      const byId = (r: unknown): unknown => (typeof r === 'object' && r !== null && 'id' in r ? (r as { id: unknown }).id : r);
      return fc.uniqueArray(arb(element), { minLength: Math.max(minLength(s), objects ? 1 : 0), maxLength: 3, selector: byId });
    }
    case 'record':
      return fc.dictionary(arb(d.keyType as AnySchema) as fc.Arbitrary<string>, arb(d.valueType as AnySchema), { minKeys: 1, maxKeys: 3 });
    case 'object': {
      const shape = d.shape as Record<string, AnySchema>;
      const required = Object.keys(shape).filter((k) => !unwrap(shape[k]!).optional);
      return fc.record(Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, arb(v)])), { requiredKeys: required });
    }
    default:
      throw new Error(`no generator for a ${d.type} schema`);
  }
}

const FILES = Object.keys(NETWORK_FILES) as NetworkFileName[];
/** A network whose every file passes its own schema (cross-file references are not the point here). */
const network = fc.record(
  Object.fromEntries(FILES.map((f) => [f, arb(NETWORK_FILES[f] as AnySchema).filter((v) => NETWORK_FILES[f].safeParse(v).success)])),
) as fc.Arbitrary<Record<NetworkFileName, unknown>>;

describe('network → workbook → network', () => {
  it('keeps every value of every file', async () => {
    await fc.assert(
      fc.asyncProperty(network, async (files) => {
        const bytes = await xlsxBytes(sheetsOf(files));
        const read = readNetworkSheets(await readXlsxBytes(bytes));
        expect(read.issues).toEqual([]);
        for (const f of FILES) expect(read.raw[f], f).toEqual(files[f]);
      }),
      { numRuns: Number(process.env.RUNS ?? 15) },
    );
  }, 120_000);

  // The files that are one sheet each (skus, stock, sellers, connections) also go as CSV.
  const flat = FILES.filter((f) => networkLayout().byFile.get(f)!.length === 1 && networkLayout().roots.get(f)!.shape === 'list');

  it.each(flat)('keeps every value of %s through CSV', async (file) => {
    await fc.assert(
      fc.asyncProperty(arb(NETWORK_FILES[file] as AnySchema).filter((v) => NETWORK_FILES[file].safeParse(v).success), async (value) => {
        const [sheet] = sheetsOf({ [file]: value });
        const read = readNetworkSheets(await readCsvBytes(await csvBytes(sheet!), sheet!.name));
        expect(read.issues).toEqual([]);
        expect(read.raw[file]).toEqual(value);
      }),
      { numRuns: Number(process.env.RUNS ?? 15) },
    );
  }, 60_000);
});
