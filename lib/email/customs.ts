/**
 * What the import rules did to one shipment, in a sentence the exporter can check against the
 * regulation (ROUTING.md §3 "Import rules", §5 `customs`): "€3.00 EU duty × 2 tariff lines,
 * imported 2026-12-09 via Belgium" / "欧盟低值关税 €3.00 × 2 个税号，2026-12-09 经比利时进口".
 * The per-line amount and the threshold come from the union's low-value row in force on the
 * import date in the network the email is written with. Pure.
 */
import type { Duties, LowValueRow } from '#network/schemas.ts';
import type { Customs } from '#routing/decision.ts';
import { countryName, formatMoney } from './format.ts';
import type { Language } from './labels.ts';

const UNION_NAMES: Record<string, Record<Language, string>> = {
  EU: { 'zh-CN': '欧盟', en: 'EU' },
  GB: { 'zh-CN': '英国', en: 'UK' },
};

/** A customs union's name for the reader: EU → 欧盟 / EU, GB → 英国 / UK, else a country's name or the id. */
export function unionName(union: string, language: Language): string {
  return UNION_NAMES[union]?.[language] ?? countryName(union, language);
}

/** The union's low-value row in force on `date` (YYYY-MM-DD), if the network has one. */
function rowOn(duties: Duties, union: string, date: string): LowValueRow | undefined {
  return duties.unions[union]?.lowValue.find((r) => r.from <= date && (r.until === undefined || date < r.until));
}

/**
 * One sentence saying the regime, the duty's basis, and when and where the shipment is imported.
 * @example customsSentence({ union: 'EU', importCountry: 'BE', importDate: '2026-12-09', regime: 'low-value', consignmentValueEur: 25.98, tariffLines: 2 }, duties, 'en')
 *   // '€3.00 EU duty × 2 tariff lines, imported 2026-12-09 via Belgium'
 */
export function customsSentence(customs: Customs, duties: Duties, language: Language): string {
  const zh = language === 'zh-CN';
  const union = unionName(customs.union, language);
  const row = rowOn(duties, customs.union, customs.importDate);
  const value = formatMoney(customs.consignmentValueEur, 'EUR', language);
  const threshold = row === undefined ? undefined : formatMoney(row.threshold.amount, row.threshold.currency, language);
  const lines = customs.tariffLines;
  const where = zh
    ? `，${customs.importDate} 经${countryName(customs.importCountry, language)}进口`
    : `, imported ${customs.importDate} via ${countryName(customs.importCountry, language)}`;
  switch (customs.regime) {
    case 'low-value': {
      if (row !== undefined && row.duty !== 'tariff' && row.duty.perTariffLine > 0) {
        const per = formatMoney(row.duty.perTariffLine, 'EUR', language);
        return zh
          ? `${union}低值关税 ${per} × ${lines} 个税号${where}`
          : `${per} ${union} duty × ${lines} tariff line${lines === 1 ? '' : 's'}${where}`;
      }
      if (row !== undefined && row.duty === 'tariff') {
        return zh
          ? `低值包裹（不超过 ${threshold}），本票货值 ${value} 按${union}税率征关税，无清关代理费${where}`
          : `${union} tariff duty on ${value}, a low-value parcel (up to ${threshold}) without brokerage${where}`;
      }
      return zh
        ? `低值免征${union}关税（不超过 ${threshold ?? ''}）${where}`
        : `no ${union} duty: low-value relief up to ${threshold ?? ''}${where}`;
    }
    case 'above-threshold':
      return zh
        ? `整单货值超过${union}低值门槛 ${threshold ?? ''}，本票货值 ${value} 按税率征关税并收清关代理费${where}`
        : `${union} tariff duty on ${value} plus brokerage: the order is over the ${threshold ?? ''} low-value threshold${where}`;
    case 'out-of-scope':
      return zh
        ? `${union}低值关税只适用于已注册进口一站式申报的卖家或邮政渠道，本票货值 ${value} 按税率征关税${where}`
        : `${union} tariff duty on ${value}: the low-value duty applies only with IOSS or a postal service${where}`;
    case 'no-regime':
      return zh
        ? `${union}当日无低值规则，本票货值 ${value} 按税率征关税并收清关代理费${where}`
        : `${union} tariff duty on ${value} plus brokerage: no low-value rule in force${where}`;
  }
}
