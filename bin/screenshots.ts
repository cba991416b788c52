/**
 * Regenerates the email screenshots in docs/screenshots/ from the real renderer
 * (lib/email/preview.ts), and writes every preview email as HTML and text to a scratch folder.
 *
 *   npm run screenshots [-- outDir]
 *
 * Needs Debian's Chromium at /usr/bin/chromium (`apt-get install -y chromium fonts-noto-cjk`);
 * driven by playwright-core, which downloads no browser. Not part of `npm test`: CI has no
 * browser. What the pages contain is tested in lib/email/preview.test.ts.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { previewPages, shots } from '../lib/email/preview.ts';

const CHROMIUM = '/usr/bin/chromium';
/** Headless, and nothing that reaches the network or writes outside the fresh profile. */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const root = resolve(import.meta.dirname, '..');
const outDir = resolve(process.argv[2] ?? join(tmpdir(), 'silkroute-email-preview'));

if (!existsSync(CHROMIUM)) {
  console.error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium fonts-noto-cjk`);
  process.exit(2);
}

const pages = previewPages();
mkdirSync(outDir, { recursive: true });
for (const page of pages) {
  writeFileSync(join(outDir, `${page.name}.html`), page.html);
  writeFileSync(join(outDir, `${page.name}.txt`), `Subject: ${page.subject}\n\n${page.text}`);
}
console.log(`wrote ${pages.length} emails to ${outDir}`);

// A fresh profile every run: launchPersistentContext passes it as --user-data-dir.
const profile = mkdtempSync(join(tmpdir(), 'silkroute-chromium-'));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  args: FLAGS,
  viewport: { width: 1024, height: 800 },
  deviceScaleFactor: 1,
  offline: true,
});
try {
  const tab = browser.pages()[0] ?? (await browser.newPage());
  for (const shot of shots(pages)) {
    await tab.setViewportSize({ width: shot.width, height: 800 });
    await tab.setContent(shot.page.html, { waitUntil: 'load' });
    const target = join(root, shot.file);
    mkdirSync(dirname(target), { recursive: true });
    await tab.screenshot({ path: target, fullPage: true });
    console.log(`screenshot ${shot.file}`);
  }
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
