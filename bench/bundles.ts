/**
 * Bundle sizes of the four functions, as `npm run synth` builds them (esbuild, minified ESM),
 * merged into bench/results.json as `{ "bundles": { "<fn>": bytes } }` — the bytes Lambda loads
 * at a cold start (index.mjs; the source map is read only for stack traces). Run:
 * `npx node bench/bundles.ts`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildApp, cdkJsonContext, PROJECT_ROOT } from '#infra/app.ts';
import { bundleSizes, formatBundleSizes } from '#infra/bundle-sizes.ts';

const RESULTS = path.join(PROJECT_ROOT, 'bench/results.json');

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'silkroute-bundles-'));
try {
  const started = performance.now();
  const { app, stack } = buildApp({ outdir, env: {}, context: cdkJsonContext() });
  const sizes = bundleSizes(app.synth(), stack);
  const synthMs = Math.round(performance.now() - started);
  const previous = fs.existsSync(RESULTS) ? (JSON.parse(fs.readFileSync(RESULTS, 'utf8')) as Record<string, unknown>) : {};
  const bundles = Object.fromEntries(Object.entries(sizes).map(([name, s]) => [name, s.codeBytes]));
  fs.writeFileSync(RESULTS, `${JSON.stringify({ ...previous, bundles }, null, 2)}\n`);
  console.log(`bundles (in-process synth with bundling: ${synthMs} ms)\n${formatBundleSizes(sizes)}\nwritten to ${path.relative(PROJECT_ROOT, RESULTS)}`);
} finally {
  fs.rmSync(outdir, { recursive: true, force: true });
}
