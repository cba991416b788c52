/**
 * `npm run bench`: the routing throughput bench on the demo network, then the functions' bundle
 * sizes and init times (bench/bundles.ts). Writes bench/results.json as
 * `{ "routing": { "singleLinePerSec", "fiveLinePerSec", "eightLinePerSec", "calibrationPerSec", "perCalibration" }, "bundles": {...}, "initMs": {...},
 * "planning": {...} }` (bench/planning.bench.ts: demand from a million decisions, a plan for 10,000 SKUs)
 * and `hotSku` (test/helpers/hot-sku.ts: the hot-SKU rehearsal, reservations/s),
 * and prints tables. Targets (one core): ≥ 100,000 single-line and ≥ 5,000 five-line decisions
 * per second. Then cold starts against an SDK-only baseline (bench/cold-starts.ts; target ≤ 1.5×).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchBundles } from './bundles.ts';
import { benchColdStarts, formatColdStarts } from './cold-starts.ts';
import { benchPlanning } from './planning.bench.ts';
import { benchRouting } from './routing.bench.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = path.join(ROOT, 'bench/results.json');
/** Issue 18's aims (the floors of issue 11 are 100,000 and 5,000). */
const TARGETS = { singleLinePerSec: 300_000, fiveLinePerSec: 25_000, eightLinePerSec: 10_000 } as const;

const seconds = Number(process.env.BENCH_SECONDS ?? 2);
const result = await benchRouting({ seconds, dataDir: path.join(ROOT, 'data/demo') });
const routing = {
  singleLinePerSec: result.singleLinePerSec,
  fiveLinePerSec: result.fiveLinePerSec,
  eightLinePerSec: result.eightLinePerSec,
  calibrationPerSec: result.calibrationPerSec,
  perCalibration: result.perCalibration,
};

const previous = fs.existsSync(RESULTS) ? (JSON.parse(fs.readFileSync(RESULTS, 'utf8')) as Record<string, unknown>) : {};
const { bundles, initMs } = benchBundles();
fs.writeFileSync(RESULTS, `${JSON.stringify({ ...previous, routing, bundles, initMs }, null, 2)}\n`);

const row = (name: string, value: number, ratio: number, target: number) =>
  `${name.padEnd(26)}${value.toLocaleString('en-US').padStart(12)}${ratio.toFixed(4).padStart(12)}${target.toLocaleString('en-US').padStart(12)}   ${value >= target ? 'ok' : 'BELOW TARGET'}`;
console.log(`routing on data/demo (${result.orders.single} single-line, ${result.orders.five} five-line, ${result.orders.eight} eight-line orders, ${Math.round(result.orders.routedShare * 100)} % routed; ≥ ${seconds} s each)`);
console.log(`calibration workload: ${routing.calibrationPerSec.toLocaleString('en-US')} units/s (measured interleaved; "per cal." = decisions per calibration unit, comparable across runs)`);
console.log(`${'workload'.padEnd(26)}${'decisions/s'.padStart(12)}${'per cal.'.padStart(12)}${'target'.padStart(12)}`);
console.log(row('single-line', routing.singleLinePerSec, routing.perCalibration.singleLine, TARGETS.singleLinePerSec));
console.log(row('five-line (split search)', routing.fiveLinePerSec, routing.perCalibration.fiveLine, TARGETS.fiveLinePerSec));
console.log(row('eight-line (split search)', routing.eightLinePerSec, routing.perCalibration.eightLine, TARGETS.eightLinePerSec));
console.log(`written to ${path.relative(ROOT, RESULTS)}`);

// Planning (issue 13): demand from a month of 1,000,000 decisions and the load plan for 10,000 SKUs.
const planning = await benchPlanning({ dataDir: path.join(ROOT, 'data/demo') });
const written = JSON.parse(fs.readFileSync(RESULTS, 'utf8')) as Record<string, unknown>;
fs.writeFileSync(RESULTS, `${JSON.stringify({ ...written, planning }, null, 2)}\n`);
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
console.log(`planning: ${planning.skus.toLocaleString('en-US')} SKUs, ${planning.decisions.toLocaleString('en-US')} decisions over 30 days, one core`);
console.log(`  demand from history ${secs(planning.demandMs)} (cpu ${secs(planning.cpuMs.demand)}; making the decisions alone takes ${secs(planning.synthesisMs)}), plan of ${planning.departures} departures ${secs(planning.planMs)} (cpu ${secs(planning.cpuMs.plan)}): ${secs(planning.totalMs)} in all, ${planning.linesPlanned.toLocaleString('en-US')} lines planned`);
for (const [seller, m] of Object.entries(planning.demoMonth)) {
  const f = (x: number) => `${x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${m.currency}`;
  console.log(`  demo month, ${seller}: following the plan ${f(m.followingPlan)} · all direct ${f(m.allDirect)} · warehouse when in stock ${f(m.warehouseWhenInStock)} · without the plan ${f(m.withoutPlan)}`);
}
console.log(`written to ${path.relative(ROOT, RESULTS)}`);

// Cold starts (issue 18): import + one real event in a fresh process, against an SDK-only bundle.
const coldStarts = await benchColdStarts(Number(process.env.BENCH_COLD_RUNS ?? 7));
const afterPlanning = JSON.parse(fs.readFileSync(RESULTS, 'utf8')) as Record<string, unknown>;
fs.writeFileSync(RESULTS, `${JSON.stringify({ ...afterPlanning, coldStarts }, null, 2)}\n`);
console.log(`cold starts: a fresh Node ${process.versions.node} process, import + one event, median of runs alternating with the SDK-only baseline`);
console.log(formatColdStarts(coldStarts));
console.log(`written to ${path.relative(ROOT, RESULTS)}`);

// Hot SKU (issue 18 item 1): 16 router containers × batch 10 on one SKU, conflicts cancelled as on AWS.
const { benchHotSku } = await import('./hot-sku.ts');
await benchHotSku();
