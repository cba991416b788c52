import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '#shared/errors.ts';
import { parseNetworkFiles } from './load.ts';
import type { RailLane } from './schemas.ts';
import { buildSnapshot, checkReferences } from './snapshot.ts';
import type { NetworkFiles } from './types.ts';

const demoRaw = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../data/demo/${name}`, import.meta.url), 'utf8'));
const demo: NetworkFiles = parseNetworkFiles({
  'sellers.json': demoRaw('sellers.json'),
  'skus.json': demoRaw('skus.json'),
  'parcel-services.json': demoRaw('parcel-services.json'),
  'rail-lanes.json': demoRaw('rail-lanes.json'),
  'warehouses.json': demoRaw('warehouses.json'),
  'stock.json': demoRaw('stock.json'),
  'duties.json': demoRaw('duties.json'),
  'fx.json': demoRaw('fx.json'),
}).files;

const lane = (over: Partial<RailLane> = {}): RailLane => ({
  id: 'R1',
  name: 'Yiwu → Madrid',
  origin: 'CN-YIW',
  warehouseId: 'WH-MAD',
  currency: 'EUR',
  perCbm: 150,
  kgPerCbm: 500,
  customsFreightShare: 0.75,
  schedule: {
    weekdays: ['TUE', 'FRI'],
    departureTime: '10:00+08:00',
    cutoffHoursBefore: 16,
    transitDays: 17,
    capacityCbm: 64,
    weeksAhead: 2,
  },
  ...over,
});
const withLanes = (...railLanes: RailLane[]): NetworkFiles => ({ ...demo, railLanes });
const departuresOf = (files: NetworkFiles, now: string, options?: Parameters<typeof buildSnapshot>[2]) =>
  buildSnapshot(files, new Date(now), options).railLanes[0]!.departures;

describe('buildSnapshot: schedule expansion', () => {
  it('expands weekdays from the current week for weeksAhead weeks, with ids dated by the departure', () => {
    // Monday 2026-11-23, 09:00 in Yiwu.
    const deps = departuresOf(withLanes(lane()), '2026-11-23T01:00:00Z');
    expect(deps.map((d) => d.id)).toEqual(['R1-2026-11-24', 'R1-2026-11-27', 'R1-2026-12-01', 'R1-2026-12-04']);
    expect(deps[0]).toMatchObject({
      laneId: 'R1',
      departsAt: '2026-11-24T10:00:00+08:00',
      transitDays: 17,
      capacityLitres: 64_000,
      remainingLitres: 64_000,
    });
    // One unit for capacity from the snapshot on: no m³ float left beside the litres.
    expect(deps[0]).not.toHaveProperty('capacityCbm');
  });

  it('puts the cut-off cutoffHoursBefore before departure: the day before at 18:00 Beijing time', () => {
    const deps = departuresOf(withLanes(lane()), '2026-11-23T01:00:00Z');
    for (const d of deps) {
      expect(Date.parse(d.departsAt) - Date.parse(d.cutoffAt)).toBe(16 * 3_600_000);
      expect(d.cutoffAt).toMatch(/T18:00:00\+08:00$/);
    }
    expect(deps[0]!.cutoffAt).toBe('2026-11-23T18:00:00+08:00');
  });

  it('drops departures that already left but keeps one whose cut-off passed, so the router can say why', () => {
    // Tuesday 09:00 Beijing: cut-off (Mon 18:00) passed, train not gone.
    const beforeDeparture = departuresOf(withLanes(lane()), '2026-11-24T01:00:00Z');
    expect(beforeDeparture[0]!.id).toBe('R1-2026-11-24');
    expect(Date.parse(beforeDeparture[0]!.cutoffAt)).toBeLessThan(Date.parse('2026-11-24T01:00:00Z'));
    // Tuesday 11:00 Beijing: the train left at 10:00.
    const afterDeparture = departuresOf(withLanes(lane()), '2026-11-24T03:00:00Z');
    expect(afterDeparture.map((d) => d.id)).toEqual(['R1-2026-11-27', 'R1-2026-12-01', 'R1-2026-12-04']);
  });

  it("finds the week in the lane's own offset: Sunday evening UTC is already Monday in Yiwu", () => {
    const mondays = lane({ schedule: { ...lane().schedule!, weekdays: ['MON'], weeksAhead: 1 } });
    // Sunday 2026-11-29 20:00Z = Monday 2026-11-30 04:00+08:00; the UTC week would have no Monday left.
    const deps = departuresOf(withLanes(mondays), '2026-11-29T20:00:00Z');
    expect(deps.map((d) => d.id)).toEqual(['R1-2026-11-30']);
    expect(deps[0]!.departsAt).toBe('2026-11-30T10:00:00+08:00');
  });

  it('dates the id by the local date when the UTC date differs', () => {
    const early = lane({ schedule: { ...lane().schedule!, departureTime: '07:00+08:00', weekdays: ['TUE'], weeksAhead: 1 } });
    const deps = departuresOf(withLanes(early), '2026-11-23T01:00:00Z');
    // Leaves 2026-11-23T23:00Z, which is Tuesday the 24th in Yiwu.
    expect(deps[0]!.id).toBe('R1-2026-11-24');
    expect(new Date(deps[0]!.departsAt).toISOString()).toBe('2026-11-23T23:00:00.000Z');
  });

  it('handles negative offsets', () => {
    const west = lane({ schedule: { ...lane().schedule!, departureTime: '22:00-05:00', weekdays: ['SUN'], weeksAhead: 1 } });
    const deps = departuresOf(withLanes(west), '2026-11-23T12:00:00Z');
    expect(deps[0]).toMatchObject({ id: 'R1-2026-11-29', departsAt: '2026-11-29T22:00:00-05:00' });
    expect(new Date(deps[0]!.departsAt).toISOString()).toBe('2026-11-30T03:00:00.000Z');
  });

  it('lets an explicit departure win on the same date and sorts everything by departsAt', () => {
    const special = {
      id: 'R1-extra-train',
      departsAt: '2026-11-27T20:00:00+08:00',
      cutoffAt: '2026-11-26T12:00:00+08:00',
      transitDays: 15,
      capacityCbm: 30,
    };
    const additional = { ...special, id: 'R1-monday-special', departsAt: '2026-11-30T09:00:00+08:00' };
    const deps = departuresOf(withLanes(lane({ departures: [additional, special] })), '2026-11-23T01:00:00Z');
    expect(deps.map((d) => d.id)).toEqual([
      'R1-2026-11-24',
      'R1-extra-train',
      'R1-monday-special',
      'R1-2026-12-01',
      'R1-2026-12-04',
    ]);
    expect(deps[1]).toMatchObject({ capacityLitres: 30_000, remainingLitres: 30_000, transitDays: 15, laneId: 'R1' });
  });

  it('works with explicit departures only, dropping departed ones', () => {
    const past = { id: 'X-1', departsAt: '2026-11-01T10:00:00+08:00', cutoffAt: '2026-11-01T00:00:00+08:00', transitDays: 16, capacityCbm: 64 };
    const future = { ...past, id: 'X-2', departsAt: '2026-12-01T10:00:00+08:00' };
    const { schedule: _omit, ...noSchedule } = lane({ departures: [future, past] });
    expect(departuresOf(withLanes(noSchedule), '2026-11-23T01:00:00Z').map((d) => d.id)).toEqual(['X-2']);
  });

  it('sets remaining capacity from the option, never below zero', () => {
    const remaining = new Map([
      ['R1-2026-11-24', 12_500],
      ['R1-2026-11-27', -3],
    ]);
    const deps = departuresOf(withLanes(lane()), '2026-11-23T01:00:00Z', { remainingLitres: remaining });
    expect(deps.map((d) => d.remainingLitres)).toEqual([12_500, 0, 64_000, 64_000]);
    expect(deps.map((d) => d.capacityLitres)).toEqual([64_000, 64_000, 64_000, 64_000]);
  });

  it('is pure: the same files and now give the same snapshot, and the input is not changed', () => {
    const files = withLanes(lane());
    const before = JSON.stringify(files);
    const a = buildSnapshot(files, new Date('2026-11-23T01:00:00Z'));
    const b = buildSnapshot(files, new Date('2026-11-23T01:00:00Z'));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(files)).toBe(before);
    expect(a.asOf).toBe('2026-11-23T01:00:00.000Z');
  });
});

describe('buildSnapshot: schedule properties', () => {
  const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;
  const pad = (n: number) => String(n).padStart(2, '0');
  const schedule = fc.record({
    weekdays: fc.uniqueArray(fc.constantFrom(...WEEKDAYS), { minLength: 1, maxLength: 7 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    offsetMin: fc.integer({ min: -12 * 4, max: 14 * 4 }).map((q) => q * 15),
    cutoffHoursBefore: fc.integer({ min: 0, max: 72 }),
    weeksAhead: fc.integer({ min: 1, max: 5 }),
  });
  const nowArb = fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2028-12-31T00:00:00Z'), noInvalidDate: true });

  it('every departure is in the future, on a scheduled weekday at the scheduled local time, id = local date, cut-off h before', () => {
    fc.assert(
      fc.property(schedule, nowArb, (s, now) => {
        const sign = s.offsetMin < 0 ? '-' : '+';
        const abs = Math.abs(s.offsetMin);
        const departureTime = `${pad(s.hour)}:${pad(s.minute)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
        const files = withLanes(
          lane({ schedule: { weekdays: s.weekdays, departureTime, cutoffHoursBefore: s.cutoffHoursBefore, transitDays: 16, capacityCbm: 64, weeksAhead: s.weeksAhead } }),
        );
        const deps = buildSnapshot(files, now).railLanes[0]!.departures;
        expect(deps.length).toBeLessThanOrEqual(s.weekdays.length * s.weeksAhead);
        // Whole weeks after the current one are never cut short by "already departed".
        expect(deps.length).toBeGreaterThanOrEqual(s.weekdays.length * (s.weeksAhead - 1));
        let previous = -Infinity;
        for (const d of deps) {
          const at = Date.parse(d.departsAt);
          expect(at).toBeGreaterThan(now.getTime());
          expect(at).toBeGreaterThan(previous);
          previous = at;
          expect(at - Date.parse(d.cutoffAt)).toBe(s.cutoffHoursBefore * 3_600_000);
          const local = new Date(at + s.offsetMin * 60_000);
          expect(d.id).toBe(`R1-${local.toISOString().slice(0, 10)}`);
          expect(s.weekdays).toContain(WEEKDAYS[(local.getUTCDay() + 6) % 7]);
          expect([local.getUTCHours(), local.getUTCMinutes()]).toEqual([s.hour, s.minute]);
          // Within weeksAhead weeks of now.
          expect(at - now.getTime()).toBeLessThan(s.weeksAhead * 7 * 86_400_000);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('cross-file references', () => {
  it('accepts the demo network', () => {
    expect(checkReferences(demo)).toEqual([]);
  });

  it('names every broken reference with its file and path', () => {
    const broken: NetworkFiles = {
      ...demo,
      skus: [...demo.skus, { ...demo.skus[0]!, sellerId: 'nobody' }, { ...demo.skus[1]! }],
      stock: [
        { sellerId: 'yiwu-goods', warehouseId: 'WH-XXX', sku: 'UMB-3F', available: 1 },
        { sellerId: 'yiwu-goods', warehouseId: 'WH-MAD', sku: 'TEE-COT', available: 1 },
      ],
      railLanes: [lane({ warehouseId: 'WH-PRG' })],
      warehouses: [demo.warehouses[0]!, { ...demo.warehouses[1]!, currency: 'CZK' }],
      sellers: [...demo.sellers, { ...demo.sellers[0]! }],
    };
    const n = demo.skus.length;
    expect(checkReferences(broken)).toEqual([
      { file: 'sellers.json', path: '[2].id', message: 'duplicate seller id "tianmen-garments" (first at [0])' },
      { file: 'skus.json', path: `[${n}].sellerId`, message: 'unknown seller "nobody" (not in sellers.json)' },
      { file: 'skus.json', path: `[${n + 1}].sku`, message: 'duplicate SKU "DRESS-PLY" for seller "tianmen-garments"' },
      { file: 'rail-lanes.json', path: '[0].warehouseId', message: 'unknown warehouse "WH-PRG" (not in warehouses.json)' },
      { file: 'stock.json', path: '[0].warehouseId', message: 'unknown warehouse "WH-XXX" (not in warehouses.json)' },
      { file: 'stock.json', path: '[1].sku', message: 'unknown SKU "TEE-COT" for seller "yiwu-goods" (not in skus.json)' },
      { file: 'warehouses.json', path: '[1].currency', message: 'no FX rate for "CZK" in fx.json' },
    ]);
  });

  it('makes buildSnapshot throw a ValidationError with those issues', () => {
    const broken: NetworkFiles = { ...demo, fx: { ...demo.fx, rates: { USD: 1.17 } } };
    const attempt = () => buildSnapshot(broken, new Date('2026-11-23T01:00:00Z'));
    expect(attempt).toThrow(ValidationError);
    expect(attempt).toThrow(/parcel-services\.json: \[0\]\.currency: no FX rate for "CNY" in fx\.json/);
    expect(attempt).toThrow(/sellers\.json: \[0\]\.reportCurrency: no FX rate for "CNY"/);
  });
});
