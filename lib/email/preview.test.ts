import { describe, expect, it } from 'vitest';
import { LANGUAGES, SIZES, previewPages, shots } from './preview.ts';

describe('the screenshot pages (npm run screenshots photographs these)', () => {
  const pages = previewPages();

  it('renders every scenario and the digest in both languages, each a whole HTML document in its language', () => {
    for (const language of LANGUAGES) {
      const mine = pages.filter((p) => p.language === language);
      expect(mine.map((p) => p.kind)).toEqual(['warehouse', 'direct', 'rail', 'split', 'unroutable', 'unknown-sku', 'digest', 'plan']);
      for (const p of mine) {
        expect(p.html).toMatch(/^<!doctype html>/i);
        expect(p.html).toContain(`lang="${language}"`);
        expect(p.html).toContain('name="viewport"');
        expect(p.text.length).toBeGreaterThan(100);
      }
    }
    expect(new Set(pages.map((p) => p.name)).size).toBe(pages.length);
  });

  it('photographs routed, split, unroutable and digest in both languages at phone and desktop width, into docs/screenshots', () => {
    const list = shots(pages);
    expect(list).toHaveLength(LANGUAGES.length * 5 * SIZES.length);
    expect(new Set(list.map((s) => s.file)).size).toBe(list.length);
    expect(list.map((s) => s.width)).toContain(390);
    for (const s of list) expect(s.file).toMatch(/^docs\/screenshots\/email-(zh-CN|en)-(routed|split|unroutable|digest|plan)-(phone|desktop)\.png$/);
    // The split shot is the split email: one cost table per shipment.
    const split = list.find((s) => s.file.endsWith('zh-CN-split-phone.png'))!;
    expect(split.page.text).toContain('第 1 票：');
    expect(split.page.text).toContain('2 票合计');
    expect(list.find((s) => s.file.endsWith('en-digest-desktop.png'))!.page.subject).toMatch(/^\[Silkroute\] Digest /);
    // The unroutable shot shows the one-click reroute button (issue 14 item 6); the routed one names the order #1042 (item 2).
    expect(list.find((s) => s.file.endsWith('zh-CN-unroutable-phone.png'))!.page.html).toContain('>重新选路</a>');
    expect(list.find((s) => s.file.endsWith('en-routed-desktop.png'))!.page.subject).toContain('#1042');
    // The plan shot is the cut-off email with its accept button.
    const planShot = list.find((s) => s.file.endsWith('zh-CN-plan-phone.png'))!;
    expect(planShot.page.subject).toMatch(/^【Silkroute】R2-2026-11-25 截单前装柜建议/);
    expect(planShot.page.html).toContain('>一键确认订舱</a>');
  });
});
