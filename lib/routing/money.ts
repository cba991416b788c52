/**
 * ROUTING.md §3's first rule ("every amount is money with a currency; compute in integer minor
 * units") and §5's amounts (decimal major units, 2 decimals): the one money module of the code
 * base (ADR 0010) — the router prices with it and the email reads decisions with it. Integer
 * minor units per currency, one conversion through the FX snapshot, one rounding rule.
 *
 * How amounts flow: data-file amounts become integer minor units once (`toMinor`), except
 * prices per quantity (per kg, per m³, per unit, per m³·day), which stay exact (`rateToMinor`)
 * because they are multiplied before anything is paid; any currency becomes another through
 * `fxFactor`. A price per physical quantity (per kg, per m³,
 * per m³·day) times a quantity is an exact product that may have a fraction of a minor unit; it
 * stays unrounded until it is settled into the report currency by `settle` — the only place
 * where money is rounded (half-up). Every later step (component sums, totals, comparisons,
 * savings) works on those integers.
 */
import type { Fx } from '#network/schemas.ts';
import { ValidationError } from '#shared/errors.ts';

/** ISO 4217 currencies without minor units that a seller might report in; every other has 2. */
const ZERO_DECIMAL = new Set(['JPY', 'KRW', 'VND', 'CLP', 'ISK']);

/** Decimal places of a currency's minor unit (2 unless the currency has none). */
export function minorDigits(currency: string): number {
  return ZERO_DECIMAL.has(currency) ? 0 : 2;
}

function scale(currency: string): number {
  return minorDigits(currency) === 0 ? 1 : 100;
}

// Products of binary floats land a hair off an exact half (e.g. 0.5000000000001 or
// 0.4999999999999); anything closer than this to a boundary is treated as on it.
const EPSILON = 1e-7;

/** Round half-up (away from zero for negatives), tolerant of binary float noise. */
function roundHalfUp(x: number): number {
  return x >= 0 ? Math.floor(x + 0.5 + EPSILON) : -Math.floor(-x + 0.5 + EPSILON);
}

/** A data-file decimal amount (major units) as integer minor units: `toMinor(1.71, 'EUR') === 171`. */
export function toMinor(amount: number, currency: string): number {
  return roundHalfUp(amount * scale(currency));
}

/**
 * A data-file price per quantity as exact (possibly fractional) minor units: a 3PL's €0.015 per
 * unit is 1.5 cents, so 100 units cost €1.50, not the €2.00 that rounding the rate would give.
 * Only binary noise is snapped (1.005 → 100.5, not 100.49999999999999).
 * @example rateToMinor(0.015, 'EUR') === 1.5
 */
export function rateToMinor(rate: number, currency: string): number {
  return Math.round(rate * scale(currency) * 1e6) / 1e6;
}

/** Integer minor units as the decimal number the Decision JSON carries: `fromMinor(706, 'EUR') === 7.06`. */
export function fromMinor(minor: number, currency: string): number {
  // Dividing an integer by 10^d yields the double nearest to the decimal, which prints short.
  return minor / scale(currency);
}

/** Units of `currency` per 1 EUR (the FX base); EUR itself is 1. */
export function fxRate(fx: Fx, currency: string): number {
  if (currency === fx.base) return 1;
  const rate = fx.rates[currency];
  if (rate === undefined) {
    throw new ValidationError([{ file: 'fx.json', path: `rates.${currency}`, message: `no FX rate for "${currency}"` }]);
  }
  return rate;
}

/**
 * The one conversion: the factor that turns an amount in `from` minor units into `to` minor
 * units, exactly (the result is settled later). Rates are units per 1 EUR, so X → EUR divides
 * by rate(X) and EUR → Y multiplies by rate(Y). The router memoises it per currency pair.
 * @example 2860 * fxFactor(fx, 'CNY', 'EUR') // 348.78… euro cents for ¥28.60 at 8.2 per euro
 */
export function fxFactor(fx: Fx, from: string, to: string): number {
  if (from === to) return 1;
  return (fxRate(fx, to) / fxRate(fx, from)) * (scale(to) / scale(from));
}

/**
 * Settle an exact amount (minor units of the report currency, possibly fractional) into integer
 * minor units, rounding half-up: the single rounding point of the routing core.
 */
export function settle(exactMinor: number): number {
  return roundHalfUp(exactMinor);
}
