/**
 * Issue 12's "Done when", on the twin: `npm start`'s demo promises an order from stock still on
 * a train. Duisburg's shelf holds no free BLOCKS-500, a lot of 200 is on its way by rail, and an
 * order for 2 is routed from the warehouse with the lot named on its shipment, the lot's units
 * taken in the decision's transaction, and the seller's email saying when the stock arrives.
 */
import { GetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTwin, type Twin } from '../infra/local/start.ts';
import { keys } from '#store/keys.ts';

let twin: Twin;
const lines: string[] = [];

beforeAll(async () => {
  twin = await startTwin({ port: 0, sesPort: 0, out: (line) => lines.push(line), err: () => {} });
}, 180_000);

afterAll(async () => {
  await twin?.stop();
});

describe('an order promised from stock still on a train, on the twin', () => {
  it('is routed from the warehouse on the lot, takes the lot\'s units, and its email says when the stock arrives', async () => {
    const seeded = lines.find((l) => l.includes('inbound lot demo-po-blocks'));
    expect(seeded, lines.join('\n')).toBeDefined();
    const arrivesOn = /stock at WH-DUI on (\d{4}-\d{2}-\d{2})/.exec(seeded!)![1]!;
    const promised = lines.find((l) => l.startsWith('promised from stock still on a train'));
    expect(promised).toContain(`→ warehouse:WH-DUI, 2 BLOCKS-500 from lot demo-po-blocks arriving ${arrivesOn}`);
    const orderId = /order (ord_\w+)/.exec(promised!)![1]!;

    const view = (await (await fetch(`${twin.apiUrl}/v1/orders/${orderId}`, { headers: { authorization: 'Bearer demo-key-yiwu-goods-erp-0003' } })).json()) as {
      status: string;
      decision: { chosen: { shipments: { warehouseId?: string; inbound?: unknown[] }[] } };
    };
    expect(view.status).toBe('routed');
    expect(view.decision.chosen.shipments).toMatchObject([{ warehouseId: 'WH-DUI', inbound: [{ lotId: 'demo-po-blocks', sku: 'BLOCKS-500', qty: 2, arrivesOn }] }]);

    const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: twin.endpoints.dynamodb, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
    const lot = (await doc.send(new GetCommand({ TableName: twin.resources.tableName, Key: keys.inboundLot('yiwu-goods', 'demo-po-blocks'), ConsistentRead: true }))).Item;
    expect(lot).toMatchObject({ status: 'in-transit', remaining: { 'BLOCKS-500': 198 } });
    const order = (await doc.send(new GetCommand({ TableName: twin.resources.tableName, Key: keys.order(orderId), ConsistentRead: true }))).Item;
    expect(order?.reservations).toEqual({ stock: [], capacity: [], inbound: [{ lotId: 'demo-po-blocks', warehouseId: 'WH-DUI', sku: 'BLOCKS-500', qty: 2 }] });

    const email = lines.find((l) => l.startsWith('  its email:'));
    const day = Number(arrivesOn.slice(8, 10));
    expect(email).toMatch(new RegExp(`Stock arrives on \\w{3} ${day} \\w{3} \\d{4}: BLOCKS-500 ×2 are still on a train`));
    doc.destroy();
  }, 60_000);
});
