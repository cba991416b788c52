/**
 * The hot-SKU rehearsal's figures (issue 18 item 1; ADR 0051): 16 router containers × batch 10
 * on one SKU, conflicts cancelled as on AWS. Part of `npm run bench`; alone:
 * `node bench/hot-sku.ts` (writes `hotSku` into bench/results.json the same way).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rehearseHotSku } from '../test/helpers/hot-sku.ts';

const RESULTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results.json');

export async function benchHotSku(): Promise<void> {
  const hotSku = await rehearseHotSku({ containers: 16, batchSize: 10, orders: Number(process.env.BENCH_HOT_ORDERS ?? 960), stock: Number(process.env.BENCH_HOT_STOCK ?? 800) });
  const previous = fs.existsSync(RESULTS) ? (JSON.parse(fs.readFileSync(RESULTS, 'utf8')) as Record<string, unknown>) : {};
  fs.writeFileSync(RESULTS, `${JSON.stringify({ ...previous, hotSku: { measuredAt: new Date().toISOString(), ...hotSku } }, null, 2)}\n`);
  console.log(
    `hot SKU: ${hotSku.containers} containers × batch ${hotSku.batchSize}, ${hotSku.orders} orders for ${hotSku.stockBefore} units: ${hotSku.reservationsPerSec} reservations/s, ${hotSku.decisionsPerSec} decisions/s, ${hotSku.redeliveries} redeliveries, ${hotSku.timeouts} timed-out invocations, ${hotSku.deadLettered} dead-lettered, ${hotSku.oversold} oversold, ${hotSku.shards} shards${hotSku.problems.length === 0 ? '' : `; PROBLEMS: ${hotSku.problems.slice(0, 5).join('; ')}`}`,
  );
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  await benchHotSku();
}
