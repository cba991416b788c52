/**
 * Issue 11 item 5: the email says what the import rules did to each shipment, in both
 * languages ("€3.00 EU duty × 2 tariff lines, imported 2026-12-09 via Belgium"), from the
 * decision's `customs` and the union's row in force on the import date.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Duties } from '#network/schemas.ts';
import type { Customs } from '#routing/decision.ts';
import { customsSentence } from './customs.ts';
import { scenario } from './fixtures.ts';
import { renderDecisionEmail } from './render.ts';

const duties = Duties.parse(JSON.parse(readFileSync('data/demo/duties.json', 'utf8')));
const eu = (extra: Partial<Customs>): Customs => ({ union: 'EU', importCountry: 'BE', importDate: '2026-12-09', regime: 'low-value', consignmentValueEur: 25.98, tariffLines: 2, ...extra });

describe('the customs sentence', () => {
  it('says the €3 per tariff line, the import date and the country of import', () => {
    expect(customsSentence(eu({}), duties, 'en')).toBe('€3.00 EU duty × 2 tariff lines, imported 2026-12-09 via Belgium');
    expect(customsSentence(eu({}), duties, 'zh-CN')).toBe('欧盟低值关税 €3.00 × 2 个税号，2026-12-09 经比利时进口');
    expect(customsSentence(eu({ tariffLines: 1, importCountry: 'FR' }), duties, 'en')).toBe('€3.00 EU duty × 1 tariff line, imported 2026-12-09 via France');
  });

  it('says the relief before July 2026 and in GB, with the threshold in its own currency', () => {
    expect(customsSentence(eu({ importDate: '2026-06-30' }), duties, 'en')).toBe('no EU duty: low-value relief up to €150.00, imported 2026-06-30 via Belgium');
    const gb: Customs = { union: 'GB', importCountry: 'GB', importDate: '2026-12-02', regime: 'low-value', consignmentValueEur: 12.99, tariffLines: 1 };
    expect(customsSentence(gb, duties, 'en')).toBe('no UK duty: low-value relief up to £135.00, imported 2026-12-02 via United Kingdom');
    expect(customsSentence(gb, duties, 'zh-CN')).toBe('低值免征英国关税（不超过 £135.00），2026-12-02 经英国进口');
  });

  it('says why tariff duty applies: over the threshold, out of the €3 scope, tariff after 2028-07-01', () => {
    expect(customsSentence(eu({ regime: 'above-threshold', consignmentValueEur: 60, importCountry: 'DE' }), duties, 'en')).toBe(
      'EU tariff duty on €60.00 plus brokerage: the order is over the €150.00 low-value threshold, imported 2026-12-09 via Germany',
    );
    expect(customsSentence(eu({ regime: 'above-threshold', consignmentValueEur: 60, importCountry: 'DE' }), duties, 'zh-CN')).toBe(
      '整单货值超过欧盟低值门槛 €150.00，本票货值 €60.00 按税率征关税并收清关代理费，2026-12-09 经德国进口',
    );
    expect(customsSentence(eu({ regime: 'out-of-scope', consignmentValueEur: 12.99 }), duties, 'en')).toBe(
      'EU tariff duty on €12.99: the low-value duty applies only with IOSS or a postal service, imported 2026-12-09 via Belgium',
    );
    expect(customsSentence(eu({ importDate: '2028-07-04', consignmentValueEur: 12.99 }), duties, 'en')).toBe(
      'EU tariff duty on €12.99, a low-value parcel (up to €150.00) without brokerage, imported 2028-07-04 via Belgium',
    );
  });
});

describe('the decision email', () => {
  it('states the customs of the shipment in both languages', () => {
    const en = renderDecisionEmail(scenario('direct', 'en'));
    expect(en.text).toContain('€3.00 EU duty × 1 tariff line, imported 2026-12-01 via Poland');
    expect(en.html).toContain('€3.00 EU duty × 1 tariff line, imported 2026-12-01 via Poland');
    const zh = renderDecisionEmail(scenario('direct', 'zh-CN'));
    expect(zh.text).toContain('欧盟低值关税 €3.00 × 1 个税号，2026-12-01 经波兰进口');
  });

  it('states it per shipment of a split', () => {
    const zh = renderDecisionEmail(scenario('split', 'zh-CN'));
    expect(zh.text).toContain('进口清关：欧盟低值关税 €3.00 × 1 个税号，2026-12-01 经德国进口');
    const en = renderDecisionEmail(scenario('split', 'en'));
    expect(en.text).toContain('Customs: €3.00 EU duty × 1 tariff line, imported 2026-12-01 via Germany');
  });
});
