/**
 * Formatting for the exporter email: money, dates, times and country names the way a reader in
 * each language expects them. Pure: every function takes what it needs, nothing reads a clock.
 */
import { fromMinor, toMinor } from '#routing/money.ts';
import type { Language } from './labels.ts';

/** Beijing is UTC+8 all year (no daylight saving), so a fixed offset is exact. */
const BEIJING_OFFSET_MS = 8 * 3_600_000;

const EN_WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const ZH_WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'] as const;
const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** The Intl locale behind each language: en-GB writes "Tue 24 Nov 2026", which EU buyers and Chinese exporters both read unambiguously. */
export const LOCALE: Record<Language, string> = { 'zh-CN': 'zh-CN', en: 'en-GB' };

const moneyFormats = new Map<string, Intl.NumberFormat>();
function moneyFormat(language: Language, currency: string): Intl.NumberFormat {
  const key = `${language}|${currency}`;
  let format = moneyFormats.get(key);
  if (format === undefined) {
    format = new Intl.NumberFormat(LOCALE[language], { style: 'currency', currency });
    moneyFormats.set(key, format);
  }
  return format;
}

/**
 * Minor units formatted for the reader. Money's units and rounding are lib/routing/money.ts's
 * (the one money module): the email reads amounts with the same rules the router wrote them.
 * @example formatMinor(5002, 'CNY', 'zh-CN') === '¥50.02'; formatMinor(610, 'EUR', 'en') === '€6.10'
 */
export function formatMinor(minor: number, currency: string, language: Language): string {
  return moneyFormat(language, currency).format(fromMinor(minor, currency));
}

/** A decision amount (major units) formatted for the reader: ¥1,234.50 / €6.10. */
export function formatMoney(amount: number, currency: string, language: Language): string {
  return formatMinor(toMinor(amount, currency), currency, language);
}

interface DateParts {
  readonly year: number;
  /** 0-based. */
  readonly month: number;
  readonly day: number;
  readonly weekday: number;
}

function partsOf(ms: number): DateParts {
  const d = new Date(ms);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth(), day: d.getUTCDate(), weekday: d.getUTCDay() };
}

/** A UTC calendar date (ETAs are UTC dates, ROUTING.md §3). */
function parseIsoDate(isoDate: string): DateParts {
  const ms = Date.parse(`${isoDate.slice(0, 10)}T00:00:00Z`);
  if (!Number.isFinite(ms)) throw new RangeError(`not an ISO date: ${isoDate}`);
  return partsOf(ms);
}

/** The year the reader is living in, used to drop the year from nearby dates in Chinese. */
function currentYear(now: Date): number {
  return partsOf(now.getTime() + BEIJING_OFFSET_MS).year;
}

function formatParts(p: DateParts, language: Language, now: Date, withYear: boolean): string {
  if (language === 'zh-CN') {
    // Chinese readers drop the year for dates in the current year: "11月24日 周二".
    const year = p.year === currentYear(now) ? '' : `${p.year}年`;
    return `${year}${p.month + 1}月${p.day}日 ${ZH_WEEKDAYS[p.weekday]}`;
  }
  return `${EN_WEEKDAYS[p.weekday]} ${p.day} ${EN_MONTHS[p.month]}${withYear ? ` ${p.year}` : ''}`;
}

/**
 * A calendar date for the reader.
 * @example formatDate('2026-11-24', 'zh-CN', now) === '11月24日 周二'; formatDate('2026-11-24', 'en', now) === 'Tue 24 Nov 2026'
 */
export function formatDate(isoDate: string, language: Language, now: Date): string {
  return formatParts(parseIsoDate(isoDate), language, now, true);
}

/**
 * An ETA range for the body: "11月24日 周二 – 11月26日 周四" / "Tue 24 – Thu 26 Nov 2026";
 * a single date when both ends agree.
 */
export function formatDateRange(earliest: string, latest: string, language: Language, now: Date): string {
  const a = parseIsoDate(earliest);
  const b = parseIsoDate(latest);
  if (earliest.slice(0, 10) === latest.slice(0, 10)) return formatParts(a, language, now, true);
  if (language === 'zh-CN') return `${formatParts(a, language, now, true)} – ${formatParts(b, language, now, true)}`;
  if (a.year === b.year && a.month === b.month) {
    return `${EN_WEEKDAYS[a.weekday]} ${a.day} – ${formatParts(b, language, now, true)}`;
  }
  return `${formatParts(a, language, now, a.year !== b.year)} – ${formatParts(b, language, now, true)}`;
}

/**
 * The compact ETA of a subject line: "24–26 Nov" / "11月24–26日", "30 Nov – 2 Dec" / "11月30日–12月2日".
 */
export function formatShortRange(earliest: string, latest: string, language: Language): string {
  const a = parseIsoDate(earliest);
  const b = parseIsoDate(latest);
  const same = earliest.slice(0, 10) === latest.slice(0, 10);
  if (language === 'zh-CN') {
    if (same) return `${a.month + 1}月${a.day}日`;
    if (a.year === b.year && a.month === b.month) return `${a.month + 1}月${a.day}–${b.day}日`;
    return `${a.month + 1}月${a.day}日–${b.month + 1}月${b.day}日`;
  }
  if (same) return `${a.day} ${EN_MONTHS[a.month]}`;
  if (a.year === b.year && a.month === b.month) return `${a.day}–${b.day} ${EN_MONTHS[b.month]}`;
  return `${a.day} ${EN_MONTHS[a.month]} – ${b.day} ${EN_MONTHS[b.month]}`;
}

/**
 * An instant in Beijing time, as Yiwu dispatchers read a cut-off: "11月23日 周一 18:00" /
 * "Mon 23 Nov 18:00". The "(Beijing time)" note is the caller's, once per sentence.
 */
export function formatBeijingDateTime(iso: string, language: Language, now: Date): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) throw new RangeError(`not an ISO date-time: ${iso}`);
  const local = ms + BEIJING_OFFSET_MS;
  const p = partsOf(local);
  const d = new Date(local);
  const time = `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
  return `${formatParts(p, language, now, false)} ${time}`;
}

/** A cut-off for a subject line, Beijing time: "11月23日18:00" / "23 Nov 18:00". */
export function formatBeijingShort(iso: string, language: Language): string {
  const d = new Date(Date.parse(iso) + BEIJING_OFFSET_MS);
  const time = `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
  return language === 'zh-CN'
    ? `${d.getUTCMonth() + 1}月${d.getUTCDate()}日${time}`
    : `${d.getUTCDate()} ${EN_MONTHS[d.getUTCMonth()]} ${time}`;
}

/** The Beijing calendar date of an instant as an ISO date (a train's departure day on the Yiwu timetable). */
export function beijingDate(iso: string): string {
  return new Date(Date.parse(iso) + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

const regionNames = new Map<Language, Intl.DisplayNames>();
/** A country's name for the reader: DE → 德国 / Germany (the code itself when unknown). */
export function countryName(code: string, language: Language): string {
  let names = regionNames.get(language);
  if (names === undefined) {
    names = new Intl.DisplayNames([LOCALE[language]], { type: 'region', fallback: 'code' });
    regionNames.set(language, names);
  }
  try {
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}

/** Grams as kilograms with up to two decimals: 2350 → "2.35 kg". */
export function formatKg(grams: number): string {
  return `${Number((grams / 1000).toFixed(2))} kg`;
}
