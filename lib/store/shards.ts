/**
 * Hot stock items (issue 18 item 1, docs/decisions/0051-hot-items.md).
 *
 * One SKU at one warehouse is one item, and DynamoDB cancels a transaction that overlaps another
 * on the same item (`TransactionConflict`), so a viral SKU serialises every order on one item;
 * at 2 WCU per transactional write one item cannot take 1,000 reservations/s at all (a
 * partition serves 1,000 WCU/s). This module is the commit's way around it, three layers deep:
 *
 * 1. **Serialised in the container.** Commits of one container (one SQS batch processed in
 *    parallel) that touch the same stock or capacity item queue behind each other in memory
 *    (`createItemLocks`) instead of cancelling each other in DynamoDB.
 * 2. **Escrow shards.** A hot stock item gets `shards = K`. Its main item stays the ledger of
 *    record (onHand, asOf, safetyStock, reserved) and keeps the unallocated **pool** in
 *    `available`; K shard items (`keys.stockShard`, each its own partition key) hold units in
 *    escrow. A reservation takes from one shard (`available >= qty` on the shard: never below
 *    zero); when the shard is short the committing worker **refills** it from the pool in one
 *    transaction (pool −n, shard +n, `escrowed` +n, condition `pool >= n`), folding the units the
 *    shard reserved so far into the main item's `reserved` on the way. A shard the pool cannot
 *    refill is **drained** back into the pool, so the last units collect where any order can take
 *    them. The main item is written once per refill (every ~`refillUnits` reservations), not once
 *    per order.
 * 3. **Heat.** An unsharded stock item whose takes keep conflicting in one container is sharded
 *    on the spot (`enableShards`); an operator can shard one ahead of a sale the same way.
 *
 * The ledger, with escrowed = Σ over shards of (available + reserved) as of the last fold:
 *   main.available = onHand − safetyStock − main.reserved − escrowed   (the pool)
 *   logical reserved  = main.reserved + Σ shard.reserved
 *   logical available = main.available + Σ shard.available = onHand − safetyStock − logical reserved
 * Releases (cancel, reroute) and shipments stay on the main item: they are rare next to
 * reservations, and a release lands in the pool where every shard's refill finds it. So
 * main.reserved may go below what the main item alone took; the sum is what counts.
 */
import { BatchGetCommand, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { StoreContext } from './batch.ts';
import { conflictPauseMs, TransactionConflictError } from './conflict-retry.ts';
import { keys } from './keys.ts';

export const HOT_ITEMS = {
  /** Shards of an item sharded by heat: 1,000 reservations/s over 32 items is ~31/s each (ADR 0051). */
  shards: 32,
  /** Units a refill moves beyond what the order needs. */
  refillUnits: 25,
  /** Conflicts on one unsharded stock item, within heatWindowMs in one container, that shard it. */
  heatConflicts: 3,
  heatWindowMs: 5_000,
  /** How long a container trusts the shard count it read. */
  shardCountTtlMs: 30_000,
} as const;

export interface HotItemOptions {
  readonly shards?: number;
  readonly refillUnits?: number;
  /** Shard an item when its takes keep conflicting. Default true. */
  readonly autoShard?: boolean;
  readonly heatConflicts?: number;
  readonly heatWindowMs?: number;
  readonly shardCountTtlMs?: number;
  readonly clock?: () => number;
  readonly random?: () => number;
}

type TransactItem = Record<string, unknown>;

/** What commit.ts knows of each member of its transaction (same index as the member). */
export type MemberTarget =
  | { readonly kind: 'order' | 'decision-record' }
  | { readonly kind: 'stock'; readonly warehouseId: string; readonly sku: string; readonly qty: number }
  | { readonly kind: 'capacity'; readonly departureId: string }
  /** A lot in transit (lib/store/lots.ts): serialised like any other item, never sharded. */
  | { readonly kind: 'lot'; readonly warehouseId: string; readonly skus: readonly string[] };

export interface HotItems {
  /**
   * Sends a commit transaction: serialised with this container's other commits on the same
   * stock and capacity items, its takes from sharded stock items sent to a shard (refilled or
   * drained as needed). Throws what the last send threw when the logical item cannot cover a
   * take, or on any other failure: the caller maps it as it maps an unsharded commit's.
   */
  send(
    sellerId: string,
    items: readonly TransactItem[],
    targets: readonly MemberTarget[],
    send: (items: TransactItem[]) => Promise<void>,
  ): Promise<void>;
}

interface ShardMember {
  readonly index: number;
  readonly sellerId: string;
  readonly warehouseId: string;
  readonly sku: string;
  readonly qty: number;
  readonly shards: number;
  /** The shard the next send takes from; 'pool' for the main item itself (the last resort). */
  shard: number | 'pool';
}

const num = (v: unknown) => (typeof v === 'number' ? v : 0);

/** The transaction member that takes `qty` units from one shard; a missing shard holds nothing. */
export function shardTake(tableName: string, m: Pick<ShardMember, 'sellerId' | 'warehouseId' | 'sku' | 'qty'>, shard: number): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: keys.stockShard(m.sellerId, m.warehouseId, m.sku, shard),
      UpdateExpression: 'SET available = available - :qty, reserved = if_not_exists(reserved, :zero) + :qty',
      ConditionExpression: 'available >= :qty',
      ExpressionAttributeValues: { ':qty': m.qty, ':zero': 0 },
    },
  };
}

/**
 * Shards a stock item (an operator ahead of a sale, or the heat rule): sets `shards` on the main
 * item. Only ever grows: a shard beyond a smaller K would strand its units. Returns false when
 * the item is missing or already has at least `shards`.
 */
export async function enableShards(ctx: StoreContext, sellerId: string, warehouseId: string, sku: string, shards: number): Promise<boolean> {
  if (!Number.isInteger(shards) || shards < 1 || shards > 1000) throw new RangeError(`shards must be a whole number 1..1000, got ${shards}`);
  try {
    await ctx.doc.send(
      new UpdateCommand({
        TableName: ctx.tableName,
        Key: keys.stock(sellerId, warehouseId, sku),
        UpdateExpression: 'SET shards = :k, escrowed = if_not_exists(escrowed, :zero)',
        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(shards) OR shards < :k)',
        ExpressionAttributeValues: { ':k': shards, ':zero': 0 },
      }),
    );
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

export interface ShardedStockLevel {
  readonly onHand: number;
  readonly safetyStock: number;
  /** Logical: main + every shard. */
  readonly reserved: number;
  /** Logical: pool + every shard's escrow. */
  readonly available: number;
  /** The main item's `available`: units in no shard. */
  readonly pool: number;
  readonly escrowed: number;
  readonly shards: readonly { readonly available: number; readonly reserved: number }[];
}

/** The ledger of one stock item with its shards summed (consistent reads). */
export async function readShardedStock(ctx: StoreContext, sellerId: string, warehouseId: string, sku: string): Promise<ShardedStockLevel> {
  const { Item: main = {} } = await ctx.doc.send(
    new GetCommand({ TableName: ctx.tableName, Key: keys.stock(sellerId, warehouseId, sku), ConsistentRead: true }),
  );
  const shards = await readShards(ctx, { sellerId, warehouseId, sku }, num(main.shards));
  const pool = num(main.available);
  const safetyStock = num(main.safetyStock);
  const reserved = num(main.reserved) + shards.reduce((a, s) => a + s.reserved, 0);
  const available = pool + shards.reduce((a, s) => a + s.available, 0);
  const onHand = typeof main.onHand === 'number' ? main.onHand : available + reserved + safetyStock;
  return { onHand, safetyStock, reserved, available, pool, escrowed: num(main.escrowed), shards };
}

/** The K shards of one stock item (consistent reads; a missing shard holds nothing). */
async function readShards(
  ctx: StoreContext,
  m: { readonly sellerId: string; readonly warehouseId: string; readonly sku: string },
  k: number,
): Promise<{ available: number; reserved: number }[]> {
  const shardKeys = Array.from({ length: k }, (_, i) => keys.stockShard(m.sellerId, m.warehouseId, m.sku, i));
  const found = new Map<string, Record<string, unknown>>();
  for (let i = 0; i < shardKeys.length; i += 100) {
    let request: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead: boolean }> | undefined = {
      [ctx.tableName]: { Keys: shardKeys.slice(i, i + 100), ConsistentRead: true },
    };
    while (request !== undefined && Object.keys(request).length > 0) {
      const page = await ctx.doc.send(new BatchGetCommand({ RequestItems: request }));
      for (const item of page.Responses?.[ctx.tableName] ?? []) found.set(String(item.pk), item);
      request = page.UnprocessedKeys as typeof request;
    }
  }
  return shardKeys.map((key) => {
    const item = found.get(key.pk);
    return { available: num(item?.available), reserved: num(item?.reserved) };
  });
}

/**
 * Per-key mutual exclusion inside one container. Keys are taken in sorted order, so two callers
 * sharing several keys cannot wait on each other in a cycle.
 */
export function createItemLocks(): { run<T>(ids: readonly string[], fn: () => Promise<T>): Promise<T>; readonly held: number } {
  const tails = new Map<string, Promise<void>>();
  return {
    get held() {
      return tails.size;
    },
    async run(ids, fn) {
      const releases: (() => void)[] = [];
      try {
        for (const id of [...new Set(ids)].sort()) {
          const previous = tails.get(id) ?? Promise.resolve();
          let release!: () => void;
          const mine = new Promise<void>((resolve) => (release = resolve));
          const tail = previous.then(() => mine);
          tails.set(id, tail);
          releases.push(() => {
            release();
            if (tails.get(id) === tail) tails.delete(id);
          });
          await previous;
        }
        return await fn();
      } finally {
        for (const release of releases.reverse()) release();
      }
    },
  };
}

type Reason = { Code?: string };
function reasonsOf(error: unknown): Reason[] | undefined {
  const e = error as { name?: string; CancellationReasons?: Reason[] };
  return e?.name === 'TransactionCanceledException' && Array.isArray(e.CancellationReasons) ? e.CancellationReasons : undefined;
}

function keyId(item: TransactItem): string | undefined {
  const op = (item.Update ?? item.Put ?? item.Delete ?? item.ConditionCheck) as { Key?: { pk?: unknown; sk?: unknown }; Item?: { pk?: unknown; sk?: unknown } } | undefined;
  const key = op?.Key ?? op?.Item;
  return key === undefined ? undefined : `${String(key.pk)}\u0000${String(key.sk)}`;
}

/**
 * One rebalancing transaction between the pool (main item) and one shard: `move` units from the
 * pool to the shard (negative: `-held` back from the shard), and the shard's `folded` reserved
 * units counted on the main item instead. False when another writer moved first (look again).
 */
async function moveUnits(
  ctx: StoreContext,
  m: { readonly sellerId: string; readonly warehouseId: string; readonly sku: string },
  shard: number,
  move: number,
  held: number,
  folded: number,
): Promise<boolean> {
  if (move === 0 && folded === 0) return true;
  const mainKey = keys.stock(m.sellerId, m.warehouseId, m.sku);
  const shardKey = keys.stockShard(m.sellerId, m.warehouseId, m.sku, shard);
  const shardConditions = [
    ...(move < 0 ? ['available >= :held'] : []),
    ...(folded > 0 ? ['reserved >= :folded'] : []),
  ];
  try {
    await ctx.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: ctx.tableName,
              Key: mainKey,
              UpdateExpression:
                'SET available = available - :move, escrowed = if_not_exists(escrowed, :zero) + :escrow, reserved = if_not_exists(reserved, :zero) + :folded',
              ConditionExpression: move > 0 ? 'attribute_exists(shards) AND available >= :move' : 'attribute_exists(shards)',
              ExpressionAttributeValues: { ':move': move, ':escrow': move - folded, ':folded': folded, ':zero': 0 },
            },
          },
          {
            Update: {
              TableName: ctx.tableName,
              Key: shardKey,
              UpdateExpression:
                'SET available = if_not_exists(available, :zero) + :move, reserved = if_not_exists(reserved, :zero) - :folded, kind = :kind, sellerId = :seller, warehouseId = :wh, sku = :sku, shardIndex = :shard',
              ...(shardConditions.length === 0 ? {} : { ConditionExpression: shardConditions.join(' AND ') }),
              ExpressionAttributeValues: {
                ':move': move,
                ':folded': folded,
                ':zero': 0,
                ':kind': 'stock-shard',
                ':seller': m.sellerId,
                ':wh': m.warehouseId,
                ':sku': m.sku,
                ':shard': shard,
                ...(move < 0 ? { ':held': held } : {}),
              },
            },
          },
        ],
      }),
    );
  } catch (error) {
    // Another worker moved first (condition or conflict): look again.
    if (reasonsOf(error) !== undefined || (error as { name?: string }).name === 'TransactionConflictException') return false;
    throw error;
  }
  return true;
}

/**
 * After a count came in under what is reserved and escrowed (the pool below zero), shards would
 * still hand out units the warehouse no longer has: drain them back into the pool until it is
 * back at zero or every shard is empty. Called by the on-hand report (lib/store/stock.ts).
 */
export async function reclaimShards(ctx: StoreContext, sellerId: string, warehouseId: string, sku: string): Promise<void> {
  const m = { sellerId, warehouseId, sku };
  for (let attempt = 0; attempt < 8; attempt += 1) {
    const level = await readShardedStock(ctx, sellerId, warehouseId, sku);
    if (level.pool >= 0 || level.shards.every((x) => x.available <= 0)) return;
    let owed = -level.pool;
    for (const [k, x] of level.shards.entries()) {
      if (owed <= 0) break;
      if (x.available <= 0) continue;
      const back = Math.min(owed, x.available);
      if (await moveUnits(ctx, m, k, -back, back, 0)) owed -= back;
    }
  }
}

/** The hot-item layer of one container (module scope of the router, beside its snapshot cache). */
export function createHotItems(ctx: StoreContext, options: HotItemOptions = {}): HotItems {
  const clock = options.clock ?? Date.now;
  const random = options.random ?? Math.random;
  const refillUnits = options.refillUnits ?? HOT_ITEMS.refillUnits;
  const heatConflicts = options.heatConflicts ?? HOT_ITEMS.heatConflicts;
  const heatWindowMs = options.heatWindowMs ?? HOT_ITEMS.heatWindowMs;
  const ttlMs = options.shardCountTtlMs ?? HOT_ITEMS.shardCountTtlMs;
  const autoShard = options.autoShard ?? true;
  const locks = createItemLocks();
  const counts = new Map<string, { shards: number; at: number }>();
  const reading = new Map<string, Promise<number>>();
  const heat = new Map<string, number[]>();
  // Each container walks the shards round-robin from its own random start: its parallel commits
  // go to different shards, and different containers rarely move in step.
  const turns = new Map<string, number>();

  const idOf = (sellerId: string, warehouseId: string, sku: string) => `${sellerId}\u0000${warehouseId}\u0000${sku}`;

  function shardCount(sellerId: string, warehouseId: string, sku: string): Promise<number> | number {
    const id = idOf(sellerId, warehouseId, sku);
    const cached = counts.get(id);
    if (cached !== undefined && clock() - cached.at < ttlMs) return cached.shards;
    const pending = reading.get(id);
    if (pending !== undefined) return pending;
    const read = ctx.doc
      .send(
        new GetCommand({
          TableName: ctx.tableName,
          Key: keys.stock(sellerId, warehouseId, sku),
          ProjectionExpression: '#k',
          ExpressionAttributeNames: { '#k': 'shards' },
        }),
      )
      .then(({ Item }) => {
        const shards = num(Item?.shards);
        counts.set(id, { shards, at: clock() });
        return shards;
      })
      .finally(() => reading.delete(id));
    reading.set(id, read);
    return read;
  }

  function nextShard(m: Pick<ShardMember, 'sellerId' | 'warehouseId' | 'sku' | 'shards'>): number {
    const id = idOf(m.sellerId, m.warehouseId, m.sku);
    const turn = turns.get(id) ?? Math.floor(random() * m.shards);
    turns.set(id, turn + 1);
    return turn % m.shards;
  }

  async function noteHeat(sellerId: string, reasons: readonly Reason[], targets: readonly MemberTarget[], sharded: ReadonlySet<number>): Promise<void> {
    const now = clock();
    for (const [i, target] of targets.entries()) {
      if (target.kind !== 'stock' || target.qty <= 0 || sharded.has(i) || reasons[i]?.Code !== 'TransactionConflict') continue;
      const id = idOf(sellerId, target.warehouseId, target.sku);
      // Another container may have sharded it since this one last looked.
      counts.delete(id);
      const recent = (heat.get(id) ?? []).filter((t) => now - t < heatWindowMs);
      recent.push(now);
      heat.set(id, recent);
      if (!autoShard || recent.length < heatConflicts) continue;
      heat.delete(id);
      // The main item is busy by definition: a few tries, then leave it to the next conflict.
      for (let attempt = 0; attempt < 4; attempt += 1) {
        try {
          await enableShards(ctx, sellerId, target.warehouseId, target.sku, options.shards ?? HOT_ITEMS.shards);
          counts.delete(id);
          break;
        } catch (error) {
          if ((error as { name?: string }).name !== 'TransactionConflictException') throw error;
          await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 10 * 2 ** attempt)));
        }
      }
    }
  }

  /**
   * Makes room for take `m` after its shard refused it. The pool covers the shortfall: refill
   * the shard. It does not: the take moves to a shard that holds enough; none does but all of
   * them with the pool do: drain the shards into the pool and take from the pool; not even
   * that: the item is out (`out`, the commit reports it exhausted). Shards are read before the
   * pool, so a drain racing the reads is counted twice, never missed: `out` is never said of
   * units still there. `lost`: another container moved first; look again after a pause.
   */
  type Where = { readonly next: number | 'pool' } | 'same' | 'out';
  async function rebalance(m: ShardMember & { shard: number }, round: number): Promise<Where> {
    const mainKey = keys.stock(m.sellerId, m.warehouseId, m.sku);
    const shardKey = keys.stockShard(m.sellerId, m.warehouseId, m.sku, m.shard);
    // Under this container's locks of both items: its own takes do not cancel the move.
    const where = await locks.run([`${mainKey.pk}\u0000${mainKey.sk}`, `${shardKey.pk}\u0000${shardKey.sk}`], () => rebalanceLocked(m));
    if (where !== 'lost') return where;
    // Lost to another container: back off (full jitter) before looking again.
    await new Promise((resolve) => setTimeout(resolve, conflictPauseMs(round, { baseMs: 2, capMs: 200 }, random)));
    return 'same';
  }

  async function rebalanceLocked(m: ShardMember & { shard: number }): Promise<Where | 'lost'> {
    const shards = await readShards(ctx, m, m.shards);
    const { Item: main } = await ctx.doc.send(
      new GetCommand({ TableName: ctx.tableName, Key: keys.stock(m.sellerId, m.warehouseId, m.sku), ConsistentRead: true }),
    );
    const pool = num(main?.available);
    const mine = shards[m.shard]!;
    if (mine.available >= m.qty) return 'same'; // refilled by someone else meanwhile
    const shortfall = m.qty - mine.available;
    if (pool >= shortfall) {
      const move = Math.min(pool, shortfall + refillUnits);
      return (await moveUnits(ctx, m, m.shard, move, mine.available, mine.reserved)) ? 'same' : 'lost';
    }
    const other = shards.findIndex((x) => x.available >= m.qty);
    if (other >= 0) return { next: other };
    const total = pool + shards.reduce((n, x) => n + Math.max(0, x.available), 0);
    if (total < m.qty) {
      // Fold what the shards reserved into the main item, so the routing view (pool + escrowed)
      // shows the item as empty as it is and the next orders are not sent here again.
      for (const [k, x] of shards.entries()) if (x.reserved > 0) await moveUnits(ctx, m, k, 0, 0, x.reserved);
      return 'out';
    }
    // Enough units, scattered: bring them home to the pool, then take from it.
    for (const [k, x] of shards.entries()) {
      if (x.available <= 0 && x.reserved <= 0) continue;
      if (!(await moveUnits(ctx, m, k, -Math.max(0, x.available), Math.max(0, x.available), x.reserved))) return 'lost';
    }
    return { next: 'pool' };
  }

  return {
    async send(sellerId, items, targets, send) {
      const current = [...items];
      const members: ShardMember[] = [];
      for (const [index, target] of targets.entries()) {
        if (target.kind !== 'stock' || target.qty <= 0) continue;
        const counted = shardCount(sellerId, target.warehouseId, target.sku);
        const shards = typeof counted === 'number' ? counted : await counted;
        if (shards <= 0) continue;
        const m: ShardMember = { index, sellerId, warehouseId: target.warehouseId, sku: target.sku, qty: target.qty, shards, shard: 0 };
        m.shard = nextShard(m);
        current[index] = shardTake(ctx.tableName, m, m.shard);
        members.push(m);
      }
      const memberAt = new Map(members.map((m) => [m.index, m]));
      const lockIds = () =>
        current.flatMap((item, i) => {
          const kind = targets[i]?.kind;
          const id = kind === 'stock' || kind === 'capacity' ? keyId(item) : undefined;
          return id === undefined ? [] : [id];
        });
      const maxRounds = 8 + members.reduce((n, m) => n + m.shards, 0);
      for (let round = 1; ; round += 1) {
        try {
          await locks.run(lockIds(), () => send(current));
          return;
        } catch (error) {
          const reasons = reasonsOf(error);
          if (reasons === undefined) throw error;
          await noteHeat(sellerId, reasons, targets, new Set(memberAt.keys()));
          const failedCondition = (i: number) => reasons[i]?.Code === 'ConditionalCheckFailed';
          const short = members.filter((m) => failedCondition(m.index));
          // Another member's condition (the order's version, capacity, an unsharded item) decides.
          const decisive = reasons.some((_, i) => failedCondition(i) && !memberAt.has(i));
          if (short.length === 0 || decisive) throw error;
          // The pool itself refused the take after every shard was tried: the item is out.
          if (short.some((m) => m.shard === 'pool')) throw error;
          // Out of rounds but not proven out (other workers kept moving units): a conflict, sent again later.
          if (round >= maxRounds) throw new TransactionConflictError(`stock shards kept moving under ${short.length} take(s); retry`, { cause: error });
          for (const m of short) {
            const where = await rebalance(m as ShardMember & { shard: number }, round);
            if (where === 'out') throw error; // the refusal stands: the item cannot cover the take
            if (where !== 'same') m.shard = where.next;
            current[m.index] = m.shard === 'pool' ? (items[m.index] as TransactItem) : shardTake(ctx.tableName, m, m.shard);
          }
        }
      }
    },
  };
}
