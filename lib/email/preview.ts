/**
 * The emails as a reader sees them, from the real renderer: every fixture scenario in both
 * languages, and the daily digest. `bin/screenshots.ts` (`npm run screenshots`) writes these to
 * files and photographs the `SHOTS` into docs/screenshots/ with Chromium; this module is pure, so
 * what the screenshots show is tested without a browser (lib/email/preview.test.ts).
 */
import { orderLabel } from '#network/schemas.ts';
import { summarizeDigest } from '#routing/digest-summary.ts';
import { NOW, SCENARIOS, scenario, type ScenarioName } from './fixtures.ts';
import { renderDigest } from './digest.ts';
import type { Language } from './labels.ts';
import { renderDecisionEmail } from './render.ts';
import { renderPlanEmail } from './plan-email.ts';
import type { DeparturePlan } from '#planning/plan.ts';
import type { SellerSavings } from '#planning/report.ts';
import { lineWhy, notPlannedWhy, type LineReason, type NotPlannedReason } from '#planning/why.ts';

export const LANGUAGES: readonly Language[] = ['zh-CN', 'en'];

export interface PreviewPage {
  /** `zh-CN-split`, `en-digest`: the file name stem. */
  readonly name: string;
  readonly language: Language;
  readonly kind: ScenarioName | 'digest' | 'plan';
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

/** The daily digest of the fixture seller's day: the warehouse, direct and unroutable orders, and one that failed. */
export function digestPreview(language: Language): PreviewPage {
  const routed = scenario('warehouse', language);
  const sellerId = routed.order.sellerId;
  // The fixture scenarios belong to two sellers; the digest is one seller's: give them all to the warehouse order's seller.
  const entries = (['warehouse', 'direct', 'split', 'unroutable'] as const).map((name) => {
    const s = scenario(name, language);
    return { orderId: s.order.order.externalId, orderNumber: orderLabel(s.order.order), status: s.decision.status, decision: { ...s.decision, sellerId } };
  });
  entries.push({ orderId: '5820012301077', orderNumber: '#1077', status: 'failed', note: 'routing gave up after 5 attempts' } as never);
  const summary = summarizeDigest(sellerId, { start: new Date(NOW.getTime() - 86_400_000), end: NOW }, entries, routed.network);
  const seller = routed.network.sellers.find((s) => s.id === sellerId)!;
  const email = renderDigest(summary, seller, routed.network, NOW, '2026-11-21');
  return { name: `${language}-digest`, language, kind: 'digest', subject: email.subject, html: email.html, text: email.text };
}

/** The link the previews carry where the email offers a reroute (shape of lib/email/mailer.ts rerouteLink). */
export const PREVIEW_REROUTE_URL = 'https://api.silkroute.example/actions/eyJhIjoicmVyb3V0ZSIsIm8iOiJvcmRfdGlhbm1lbiIsInYiOjEsImUiOjE3NjUwMDAwMDB9.Xq3Jm0n9rW2cTgY7bHkLpA4sVdE1uFiOzN8yR6tMwK5';
/** The cut-off email of the fixture seller's next Duisburg train (issue 13): three lines, one SKU left out. */
export function planPreview(language: Language): PreviewPage {
  const routed = scenario('warehouse', language);
  const seller = routed.network.sellers.find((s) => s.id === 'tianmen-garments')!;
  const currency = seller.reportCurrency;
  const m = (amount: number) => ({ amount, currency });
  const reasons: LineReason[] = [
    { kind: 'lost-for-stock', sku: 'HOODIE', units: 71, cbm: 0.6, wanted: 71, each: m(35.73), margin: false, ordersPerWeek: 40, countries: ['DE', 'FR', 'IT'], went: 'direct' },
    { kind: 'lost-for-stock', sku: 'TEE-COT', units: 260, cbm: 0.32, wanted: 410, each: m(9.12), margin: false, ordersPerWeek: 63, countries: ['DE', 'PL'], went: 'direct' },
    { kind: 'demand', sku: 'SCARF-WL', units: 45, cbm: 0.09, wanted: 45, each: m(6.4), margin: false, unitsPerWeek: 18, countries: ['DE'], atArrival: 12 },
  ];
  const left: NotPlannedReason[] = [{ kind: 'not-better', sku: 'SOCK-5', directCheaper: ['PL', 'CZ'], unpriced: [], elsewhere: [] }];
  const plan: DeparturePlan = {
    laneId: 'R2',
    departureId: 'R2-2026-11-25',
    sellerId: seller.id,
    warehouseId: 'WH-DUI',
    departsAt: '2026-11-25T02:00:00.000Z',
    cutoffAt: '2026-11-24T10:00:00.000Z',
    arrivesOn: '2026-12-13',
    coversUntil: '2026-12-16',
    capacityCbm: 1.01,
    usedCbm: 1.01,
    lines: reasons.map((r) => ({ sku: r.sku, units: r.units, cbm: r.cbm, why: lineWhy(r, 'en'), reason: r, savingPerUnit: r.each, wanted: r.wanted, destinations: r.countries })),
    expectedSaving: m(5192.91),
    notPlanned: left.map((r) => ({ sku: r.sku, why: notPlannedWhy(r, 'en'), reason: r })),
  };
  // The last 28 days of the simulated demo month (README), the figures the bars draw.
  const savings: SellerSavings = {
    sellerId: seller.id,
    currency,
    orders: { total: 4180, routed: 4163, unroutable: 17, byMode: { 'direct-parcel': 2460, 'overseas-warehouse': 1688, 'rail-to-warehouse': 15, unroutable: 17 } },
    spend: m(129129.71),
    spendByMode: {},
    baselines: { allDirect: { ...m(137845.2), saved: 8715.49, ordersWithoutDirect: 0 }, warehouseWhenInStock: { ...m(132047.87), saved: 2918.16 } },
    missedForStock: { orders: 1410, unroutable: 17, amount: 34178.57, currency },
    daily: [],
  } as unknown as SellerSavings;
  const email = renderPlanEmail({ plan, savings, seller: { ...seller, language }, network: routed.network, now: NOW, acceptUrl: 'https://api.silkroute.example/v1/plans/accept-link?t=eyJhIjoiYWNjZXB0LXBsYW4iLCJzIjoidGlhbm1lbi1nYXJtZW50cyIsImQiOiJSMi0yMDI2LTExLTI1IiwiZSI6MTc2Mzk3ODQwMH0.c2lnbmF0dXJl' });
  return { name: `${language}-plan`, language, kind: 'plan', subject: email.subject, html: email.html, text: email.text };
}

/** Every page: each scenario in each language, then the digest in each. */
export function previewPages(): PreviewPage[] {
  const pages: PreviewPage[] = [];
  for (const language of LANGUAGES) {
    for (const kind of SCENARIOS) {
      // As the email function sends them: with a signed one-click link (a sample token; it verifies under no key).
      const email = renderDecisionEmail({ ...scenario(kind, language), rerouteUrl: PREVIEW_REROUTE_URL });
      pages.push({ name: `${language}-${kind}`, language, kind, subject: email.subject, html: email.html, text: email.text });
    }
    pages.push(digestPreview(language));
    pages.push(planPreview(language));
  }
  return pages;
}

/** The widths screenshots are taken at: a phone (iPhone 12–15) and a desktop mail client. */
export const SIZES = [
  { label: 'phone', width: 390 },
  { label: 'desktop', width: 1024 },
] as const;

/** The kinds photographed for docs/: the everyday routed email, a split, an unroutable order, the digest. */
export const SHOT_KINDS: readonly PreviewPage['kind'][] = ['warehouse', 'split', 'unroutable', 'digest', 'plan'];

export interface Shot {
  readonly page: PreviewPage;
  readonly width: number;
  /** Relative to the repository root. */
  readonly file: string;
}

/** Every screenshot: both languages × routed, split, unroutable, digest × phone and desktop. */
export function shots(pages: readonly PreviewPage[] = previewPages()): Shot[] {
  const out: Shot[] = [];
  for (const page of pages) {
    if (!SHOT_KINDS.includes(page.kind)) continue;
    const kind = page.kind === 'warehouse' ? 'routed' : page.kind;
    for (const { label, width } of SIZES) out.push({ page, width, file: `docs/screenshots/email-${page.language}-${kind}-${label}.png` });
  }
  return out;
}
