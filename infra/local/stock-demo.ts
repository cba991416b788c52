/**
 * The after-the-decision part of the `npm start` demo (issue 12): with the seller's API key, as a
 * warehouse would, the first routed order shipped from a warehouse is confirmed shipped (its
 * reservation consumed) and another routed order is cancelled (its stock and capacity given
 * back). Everything goes through the twin's HTTP API, nothing behind its back.
 */
import type { ReplayResult } from './replay.ts';

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
