/**
 * Dev-time preview of the exporter email: renders every fixture scenario in both languages to
 * HTML and text files, and, when Chromium is installed (`apt-get install chromium
 * fonts-noto-cjk`), screenshots one Chinese and one English email at phone and desktop width
 * into docs/. Not run by tests; Chromium is not a dependency of the project.
 *
 *   npx node lib/email/preview.ts [outDir]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SCENARIOS, scenario, type ScenarioName } from './fixtures.ts';
import type { Language } from './labels.ts';
import { renderDecisionEmail } from './render.ts';

const outDir = resolve(process.argv[2] ?? join(tmpdir(), 'silkroute-email-preview'));
const docsDir = resolve(import.meta.dirname, '../../docs');
mkdirSync(outDir, { recursive: true });

for (const language of ['zh-CN', 'en'] as const) {
  for (const name of SCENARIOS) {
    const email = renderDecisionEmail(scenario(name, language));
    writeFileSync(join(outDir, `${language}-${name}.html`), email.html);
    writeFileSync(join(outDir, `${language}-${name}.txt`), `Subject: ${email.subject}\nTo: ${email.to}\n\n${email.text}`);
  }
}
console.log(`wrote ${SCENARIOS.length * 2} emails to ${outDir}`);

/** The emails committed as screenshots: the everyday case in Chinese, the rail case in English. */
const SHOTS: readonly { language: Language; name: ScenarioName }[] = [
  { language: 'zh-CN', name: 'warehouse' },
  { language: 'en', name: 'rail' },
];
const SIZES = [
  { label: 'phone', size: '390,1400' },
  { label: 'desktop', size: '1280,1400' },
] as const;

function chromium(): string | undefined {
  for (const bin of ['chromium', 'chromium-browser', 'google-chrome']) {
    try {
      execFileSync('which', [bin], { stdio: 'ignore' });
      return bin;
    } catch {
      // try the next name
    }
  }
  return undefined;
}

const bin = chromium();
if (bin === undefined) {
  console.log('chromium not found: skipping screenshots');
} else {
  for (const { language, name } of SHOTS) {
    for (const { label, size } of SIZES) {
      const target = join(docsDir, `email-${language}-${label}.png`);
      execFileSync(
        bin,
        [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--hide-scrollbars',
          `--user-data-dir=${mkdtempSync(join(tmpdir(), 'silkroute-chromium-'))}`,
          `--window-size=${size}`,
          `--screenshot=${target}`,
          `file://${join(outDir, `${language}-${name}.html`)}`,
        ],
        { stdio: 'ignore' },
      );
      console.log(`screenshot ${target}`);
    }
  }
}
