/**
 * The four functions as `npm run synth` bundles them (esbuild, minified ESM): their size — the
 * bytes Lambda loads at a cold start (index.mjs; the source map is read only for stack traces) —
 * and their init time: a fresh Node 24 process importing the bundle, which runs the module's top
 * level (SDK clients, config validation, schema construction). Lambda's own runtime start comes
 * on top; this is the part the code controls, and the webhook function must fit Shopify's 5 s
 * with room to spare. Merged into bench/results.json as `{ "bundles": { "<fn>": bytes },
 * "initMs": { "<fn>": median ms } }`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildApp, cdkJsonContext, PROJECT_ROOT } from '#infra/app.ts';
import { bundleSizes, formatBundleSizes } from '#infra/bundle-sizes.ts';

const RESULTS = path.join(PROJECT_ROOT, 'bench/results.json');
const RUNS = 7;
/** What the stack gives every function; values only have to pass config validation. */
const FUNCTION_ENV = {
  AWS_REGION: 'eu-central-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  TABLE_NAME: 'silkroute-bench',
  ORDERS_QUEUE_URL: 'https://sqs.eu-central-1.amazonaws.com/000000000000/orders',
  NOTIFICATIONS_QUEUE_URL: 'https://sqs.eu-central-1.amazonaws.com/000000000000/notifications',
  EMAIL_FROM: 'routing@silkroute.example',
  WEBHOOK_SECRETS_PREFIX: 'silkroute/bench/webhooks/',
  SNAPSHOT_TTL_SECONDS: '60',
  ACTION_LINK_SIGNING_NAME: 'silkroute/bench/action-links',
  PUBLIC_API_URL: 'https://api.silkroute.example',
  POWERTOOLS_METRICS_DISABLED: 'true',
};

/** Median wall time of importing one bundle in a fresh process, in milliseconds. */
function initMs(bundle: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(bundle)}); console.log(performance.now() - t);`;
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH ?? '', ...FUNCTION_ENV },
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`importing ${bundle} failed: ${run.stderr}`);
    times.push(Number(run.stdout.trim()));
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(RUNS / 2)]! * 10) / 10;
}

export function benchBundles(): { bundles: Record<string, number>; initMs: Record<string, number> } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'silkroute-bundles-'));
  try {
    const started = performance.now();
    const { app, stack } = buildApp({ outdir, env: {}, context: cdkJsonContext() });
    const sizes = bundleSizes(app.synth(), stack);
    const synthMs = Math.round(performance.now() - started);
    const bundles = Object.fromEntries(Object.entries(sizes).map(([name, s]) => [name, s.codeBytes]));
    const init = Object.fromEntries(
      Object.entries(sizes).map(([name, s]) => [name, initMs(path.join(s.assetDir, 'index.mjs'))]),
    );
    console.log(`bundles (in-process synth with bundling: ${synthMs} ms)\n${formatBundleSizes(sizes)}`);
    console.log(`init time, median of ${RUNS} fresh Node ${process.versions.node} processes importing the bundle:`);
    for (const [name, ms] of Object.entries(init)) console.log(`  ${name.padEnd(10)}${`${ms} ms`.padStart(10)}`);
    return { bundles, initMs: init };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = benchBundles();
  const previous = fs.existsSync(RESULTS) ? (JSON.parse(fs.readFileSync(RESULTS, 'utf8')) as Record<string, unknown>) : {};
  fs.writeFileSync(RESULTS, `${JSON.stringify({ ...previous, ...result }, null, 2)}\n`);
}
