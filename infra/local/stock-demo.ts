/**
 * The after-the-decision part of the `npm start` demo (issue 12): with the seller's API key, as a
 * warehouse would, the first routed order shipped from a warehouse is confirmed shipped (its
 * reservation consumed) and another routed order is cancelled (its stock and capacity given
 * back). Everything goes through the twin's HTTP API, nothing behind its back; then an order
 * promised from stock still on a train (trainDemo, after seedTrainLot seeded the lot's history).
 */
import type { Connection } from '#network/schemas.ts';
import { loadNetworkDir } from '#network/load.ts';
import type { StoreContext } from '#store/batch.ts';
import { arrivalDate, bookInbound } from '#store/inbound.ts';
import { Delivery, prepareDelivery, type ReplayResult } from './replay.ts';

export async function stockDemo(apiUrl: string, results: readonly ReplayResult[], out: (line: string) => void): Promise<void> {
  const routed = results.filter((r) => r.orderId !== undefined && r.apiKey !== undefined && r.order?.status === 'routed');
  const fromWarehouse = routed.find((r) => r.order?.decision?.chosen?.shipments?.some((s) => s.warehouseId !== undefined && s.mode === 'overseas-warehouse'));
  const call = async (method: string, path: string, key: string, body?: unknown) => {
    const response = await fetch(new URL(path, apiUrl), {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return `${response.status} ${await response.text()}`;
  };
  if (fromWarehouse !== undefined) {
    const n = fromWarehouse.order!.decision!.chosen!.shipments!.findIndex((s) => s.warehouseId !== undefined) + 1;
    out(`shipment confirmed: POST /v1/orders/${fromWarehouse.orderId}/shipments/${n}/shipped → ${await call('POST', `/v1/orders/${encodeURIComponent(fromWarehouse.orderId!)}/shipments/${n}/shipped`, fromWarehouse.apiKey!, { trackingNumber: 'DEMO-TRACK-0001', carrier: 'DHL' })}`);
  }
  const toCancel = routed.find((r) => r !== fromWarehouse);
  if (toCancel !== undefined) {
    out(`cancelled, stock and capacity given back: POST /v1/orders/${toCancel.orderId}/cancel → ${await call('POST', `/v1/orders/${encodeURIComponent(toCancel.orderId!)}/cancel`, toCancel.apiKey!)}`);
  }
}

/** A lot on a train that left before the demo started (seeded like the simulated month). */
export interface TrainLot {
  readonly sellerId: string;
  readonly warehouseId: string;
  readonly sku: string;
  readonly lotId: string;
  readonly departureId: string;
  readonly arrivesOn: string;
}

const TRAIN = { sellerId: 'yiwu-goods', warehouseId: 'WH-DUI', sku: 'BLOCKS-500', qty: 200, daysAgo: 10, lotId: 'demo-po-blocks' } as const;

/**
 * Seeds the history the train demo needs: 200 BLOCKS-500 that left Yiwu for Duisburg on the
 * lane's train ten days ago, booked then as POST /v1/inbound would have (a departure that has
 * left is no longer one the API can book, so the seed writes it through the same store call).
 */
export async function seedTrainLot(ctx: StoreContext, dataDir: string, now: Date, out: (line: string) => void): Promise<TrainLot | undefined> {
  const { snapshot } = await loadNetworkDir(dataDir, { now, requireConnections: false });
  const lane = snapshot.railLanes.find((l) => l.warehouseId === TRAIN.warehouseId && l.origin === snapshot.sellers.find((s) => s.id === TRAIN.sellerId)?.origin);
  const warehouse = snapshot.warehouses.find((w) => w.id === TRAIN.warehouseId);
  const sku = snapshot.skus.find((s) => s.sellerId === TRAIN.sellerId && s.sku === TRAIN.sku);
  const next = lane?.departures[0];
  if (lane === undefined || warehouse === undefined || sku === undefined || next === undefined) return undefined;
  // At the lane's departure time, about ten days back; its id as a scheduled departure's.
  const departsAt = new Date(Date.parse(next.departsAt) - Math.ceil((Date.parse(next.departsAt) - now.getTime()) / 86_400_000 + TRAIN.daysAgo) * 86_400_000).toISOString();
  const departureId = `${lane.id}-${departsAt.slice(0, 10)}`;
  const [l, w, h] = sku.dimsCm as unknown as [number, number, number];
  const arrivesOn = arrivalDate(departsAt, next.transitDays, warehouse.inboundDays);
  await bookInbound(ctx, {
    lotId: TRAIN.lotId,
    sellerId: TRAIN.sellerId,
    departureId,
    laneId: lane.id,
    warehouseId: TRAIN.warehouseId,
    lines: [{ sku: TRAIN.sku, qty: TRAIN.qty }],
    litres: Math.ceil((TRAIN.qty * Math.ceil(l * w * h)) / 1000),
    arrivesOn,
    snapshotCapacityLitres: next.capacityLitres,
    now: new Date(Date.parse(departsAt) - 2 * 86_400_000),
  });
  out(`  inbound lot ${TRAIN.lotId}: ${TRAIN.qty} ${TRAIN.sku} on train ${departureId} (left ${departsAt.slice(0, 10)}), stock at ${TRAIN.warehouseId} on ${arrivesOn}`);
  return { sellerId: TRAIN.sellerId, warehouseId: TRAIN.warehouseId, sku: TRAIN.sku, lotId: TRAIN.lotId, departureId, arrivesOn };
}

/**
 * The train part of the demo, through the HTTP API as a warehouse and a shop would: Duisburg
 * counts its BLOCKS-500 (none free on the shelf), an order for 2 comes in by the signed generic
 * webhook, and it is promised from the lot still on the train: the decision names the lot and
 * the seller's email says when the stock arrives.
 */
export async function trainDemo(
  options: { apiUrl: string; inboxUrl?: string; connections: readonly Connection[]; lot: TrainLot; waitMs?: number },
  out: (line: string) => void,
): Promise<{ orderId?: string; email?: string }> {
  const { apiUrl, lot } = options;
  const connection = options.connections.find((c) => c.sellerId === lot.sellerId && c.platform === 'standard');
  if (connection === undefined) return {};
  const headers = { authorization: `Bearer ${connection.apiKey}`, 'content-type': 'application/json' };
  const put = async (onHand: number, asOf: Date) =>
    (await (await fetch(new URL('/v1/stock', apiUrl), { method: 'PUT', headers, body: JSON.stringify({ reports: [{ warehouseId: lot.warehouseId, sku: lot.sku, onHand, asOf: asOf.toISOString() }] }) })).json()) as { reserved: number };
  // The warehouse's count: what is on the shelf is what open orders hold, nothing more.
  const now = new Date();
  const first = await put(0, now);
  const count = first.reserved > 0 ? await put(first.reserved, new Date(now.getTime() + 1)) : first;
  out(`warehouse count: PUT /v1/stock ${lot.warehouseId} ${lot.sku} on hand ${first.reserved} (all held by orders) → ${JSON.stringify(count)}`);

  const externalId = `SO-TRAIN-${now.toISOString().slice(0, 10).replaceAll('-', '')}`;
  const delivery = Delivery.parse({
    path: '/webhooks/orders',
    platform: 'standard',
    shop: connection.shop,
    headers: { 'Content-Type': 'application/json', 'X-Silkroute-Shop': connection.shop },
    body: {
      type: 'order.created',
      timestamp: now.toISOString(),
      data: { marketplace: 'erp', externalId, placedAt: now.toISOString(), currency: 'EUR', shipTo: { country: 'DE', postalCode: '10115' }, lines: [{ sku: lot.sku, qty: 2, unitPrice: { amount: 12.5, currency: 'EUR' } }], serviceLevel: 'economy' },
    },
  });
  const request = prepareDelivery(delivery, connection.secret, now, `train-demo-${externalId}`);
  const accepted = (await (await fetch(new URL(request.path, apiUrl), { method: 'POST', headers: request.headers, body: request.body })).json()) as { orderId?: string };
  const orderId = accepted.orderId;
  if (orderId === undefined) return {};
  const deadline = Date.now() + (options.waitMs ?? 20_000);
  let view: { status?: string; decision?: { chosen?: { routeId: string; shipments: { inbound?: { lotId: string; sku: string; qty: number; arrivesOn: string }[] }[] } } } | undefined;
  while (Date.now() < deadline) {
    view = (await (await fetch(new URL(`/v1/orders/${encodeURIComponent(orderId)}`, apiUrl), { headers })).json()) as typeof view;
    if (view?.status !== 'received') break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const draws = view?.decision?.chosen?.shipments.flatMap((s) => s.inbound ?? []) ?? [];
  out(
    `promised from stock still on a train: order ${orderId} (${externalId}) → ${view?.decision?.chosen?.routeId ?? view?.status}${
      draws.map((d) => `, ${d.qty} ${d.sku} from lot ${d.lotId} arriving ${d.arrivesOn}`).join('')
    }`,
  );
  if (options.inboxUrl === undefined) return { orderId };
  let email: string | undefined;
  while (Date.now() < deadline && email === undefined) {
    const inbox = (await (await fetch(`${options.inboxUrl}/store`)).json()) as { emails: { subject: string; body?: { text?: string } }[] };
    const mail = inbox.emails.find((m) => m.subject.includes(externalId));
    email = mail?.body?.text?.split('\n').find((line) => /Stock arrives on|还在班列上/.test(line));
    if (email === undefined) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  if (email !== undefined) out(`  its email: ${email.trim()}`);
  return { orderId, ...(email === undefined ? {} : { email }) };
}
