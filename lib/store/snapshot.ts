/**
 * Loading a seller's NetworkSnapshot from the table, with a bounded-age cache for warm Lambda
 * containers. Stock and capacity in a cached snapshot may be stale by up to `ttlSeconds`: that
 * is fine because the commit transaction's conditions are the real guard, and a cancelled
 * commit invalidates the cache and re-routes on fresh data (commit.ts).
 *
 * Reads. The network-wide part (services, lanes, warehouses, duties, FX) is shared by all
 * sellers; the seller part (seller, SKUs, stock) and the capacity of the departures are read
 * per load. A departure's capacity key is its id, and scheduled ids exist only once the lanes
 * are known and expanded against `now`, so a fully cold load takes two rounds:
 *   1. Query pk=NETWORK ‖ Query pk=SELLER#<id>
 *   2. BatchGet DEPARTURE#<id> of the expanded departures
 * With the network part cached (the usual case: it is shared by every seller of a container)
 * a load is one round: Query pk=SELLER#<id> ‖ BatchGet capacity. A warm load makes no read.
 */
import { buildSnapshot } from '#network/snapshot.ts';
import type { NetworkFiles, NetworkSnapshot } from '#network/types.ts';
import type { StoreContext } from './batch.ts';
import {
  readCapacity,
  readNetwork,
  readSeller,
  remainingLitresOf,
  type CapacityRecord,
  type NetworkPart,
} from './reference.ts';

export interface SnapshotLoaderOptions extends StoreContext {
  /** How long a loaded snapshot (and the shared network part) may be reused; 0 disables the cache. */
  readonly ttlSeconds: number;
  /** Milliseconds since the epoch, for cache ages only (the snapshot itself is built as of `now`). */
  readonly clock?: () => number;
}

export interface SnapshotLoader {
  /**
   * The seller's snapshot as of `now`: from the cache when younger than ttlSeconds, else read.
   * `fresh` skips every cache (a reroute after the seller fixed data).
   */
  load(sellerId: string, now: Date, options?: { fresh?: boolean }): Promise<NetworkSnapshot>;
  /**
   * Forget one seller's snapshot (after a cancelled commit: its next load reads stock and
   * capacity afresh), or, without an argument, everything including the network part.
   */
  invalidate(sellerId?: string): void;
}

interface Timed<T> {
  readonly value: T;
  readonly loadedAt: number;
}

/** Creates a loader with its own cache; one per container (module scope of a handler). */
export function createSnapshotLoader(options: SnapshotLoaderOptions): SnapshotLoader {
  const ctx: StoreContext = { doc: options.doc, tableName: options.tableName };
  const clock = options.clock ?? Date.now;
  const ttlMs = Math.max(0, options.ttlSeconds) * 1000;
  let network: Timed<NetworkPart> | undefined;
  let networkLoading: Promise<Timed<NetworkPart>> | undefined;
  const sellers = new Map<string, Timed<NetworkSnapshot>>();
  const inFlight = new Map<string, Promise<NetworkSnapshot>>();
  // Bumped by invalidate: a load that started before it must not refill the cache. The network
  // part only goes stale with invalidate(); a seller's snapshot also with invalidate(seller).
  let generation = 0;
  const sellerGenerations = new Map<string, number>();
  const sellerGeneration = (sellerId: string) => sellerGenerations.get(sellerId) ?? 0;

  const fresh = (entry: Timed<unknown> | undefined, at: number): boolean =>
    entry !== undefined && at - entry.loadedAt < ttlMs;

  function networkPart(at: number, force: boolean): Promise<Timed<NetworkPart>> | Timed<NetworkPart> {
    if (!force && network !== undefined && fresh(network, at)) return network;
    if (!force && networkLoading !== undefined) return networkLoading;
    const started = generation;
    const loading = readNetwork(ctx).then((value) => {
      const timed = { value, loadedAt: at };
      if (started === generation) network = timed;
      return timed;
    });
    const settle = () => {
      if (networkLoading === loading) networkLoading = undefined;
    };
    loading.then(settle, settle);
    networkLoading = loading;
    return loading;
  }

  async function read(sellerId: string, now: Date, force: boolean): Promise<NetworkSnapshot> {
    const at = clock();
    const started = generation;
    const startedForSeller = sellerGeneration(sellerId);
    const cachedNetwork = networkPart(at, force);
    // Stock and capacity are read consistently: a reload after a cancelled commit must see
    // the writes that cancelled it.
    const sellerRead = readSeller(ctx, sellerId, { consistent: true });
    let capacity: Promise<Map<string, CapacityRecord>> | undefined;
    if (!(cachedNetwork instanceof Promise)) {
      // Network known: capacity can be read in the same round as the seller partition.
      const ids = departureIds(cachedNetwork.value, now);
      capacity = readCapacity(ctx, ids, { consistent: true });
    }
    const [net, seller] = await Promise.all([cachedNetwork, sellerRead]);
    const files: NetworkFiles = {
      ...net.value,
      sellers: [seller.seller],
      skus: seller.skus,
      stock: seller.stock,
    };
    // Expanding the schedules also names the departures whose capacity a cold load reads now.
    const expanded = buildSnapshot(files, now);
    const capacityRecords = await (capacity ?? readCapacity(ctx, idsOf(expanded), { consistent: true }));
    const built = buildSnapshot(files, now, { remainingLitres: remainingLitresOf(expanded, capacityRecords) });
    // Units still on a train that routing may promise (ADR 0032/0036): the commit takes them from the lot.
    const snapshot: NetworkSnapshot = seller.inbound === undefined ? built : { ...built, inbound: seller.inbound };
    if (started === generation && startedForSeller === sellerGeneration(sellerId) && ttlMs > 0) {
      // The snapshot is as old as its oldest part.
      sellers.set(sellerId, { value: snapshot, loadedAt: Math.min(at, net.loadedAt) });
    }
    return snapshot;
  }

  return {
    load(sellerId, now, loadOptions = {}) {
      const force = loadOptions.fresh === true;
      if (!force) {
        const cached = sellers.get(sellerId);
        if (cached !== undefined && fresh(cached, clock())) return Promise.resolve(cached.value);
        // The orders of one SQS batch often share a seller: one read serves them all.
        const pending = inFlight.get(sellerId);
        if (pending !== undefined) return pending;
      }
      const loading = read(sellerId, now, force);
      inFlight.set(sellerId, loading);
      const settle = () => {
        if (inFlight.get(sellerId) === loading) inFlight.delete(sellerId);
      };
      loading.then(settle, settle);
      return loading;
    },
    invalidate(sellerId) {
      if (sellerId === undefined) {
        generation += 1;
        network = undefined;
        networkLoading = undefined;
        sellers.clear();
        inFlight.clear();
        return;
      }
      // Capacity is shared across sellers and every cached snapshot carries it; stock is the
      // seller's. Dropping the seller is enough for its next load to read both afresh.
      sellerGenerations.set(sellerId, sellerGeneration(sellerId) + 1);
      sellers.delete(sellerId);
      inFlight.delete(sellerId);
    },
  };
}

/** The ids of the departures `now`'s snapshot will contain (schedules expanded). */
function departureIds(net: NetworkPart, now: Date): string[] {
  return idsOf(buildSnapshot({ ...net, sellers: [], skus: [], stock: [] }, now));
}

function idsOf(snapshot: Pick<NetworkSnapshot, 'railLanes'>): string[] {
  return snapshot.railLanes.flatMap((lane) => lane.departures.map((d) => d.id));
}
