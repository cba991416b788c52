/**
 * Money and volume as the plan's sentences and tables print them: the same bytes whatever the
 * machine's locale data (the CLI's output is deterministic under --now).
 */
import { fromMinor, minorDigits } from '#routing/money.ts';

const SYMBOL: Readonly<Record<string, string>> = { EUR: '€', CNY: '¥', USD: '$', GBP: '£' };
/** `€0.95`, `¥1,207.80`, `0.95 PLN`. */
export function money(minor: number, currency: string): string {
  const fixed = Math.abs(fromMinor(minor, currency)).toFixed(minorDigits(currency));
  const [whole, frac] = fixed.split('.') as [string, string | undefined];
  // Thousands grouped by hand: the same bytes whatever the machine's locale data.
  const amount = `${minor < 0 ? '-' : ''}${whole.replace(/\B(?=(\d{3})+$)/g, ',')}${frac === undefined ? '' : `.${frac}`}`;
  const symbol = SYMBOL[currency];
  return symbol === undefined ? `${amount} ${currency}` : `${symbol}${amount}`;
}

export function fmtCbm(cbm: number): string {
  return cbm > 0 && cbm < 0.1 ? cbm.toFixed(3) : cbm.toFixed(2);
}
