/**
 * `silkroute export`: the network as it is stored, read back with the reference readers
 * (reference.ts, which validate every item with the data-file schemas), for writing out as a
 * workbook. Connections are not part of it: the table holds only a hash of each API key and
 * the name of each webhook secret, never the values (docs/decisions/0013-spreadsheets.md).
 */
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { NetworkFiles } from '#network/types.ts';
import type { StoreContext } from './batch.ts';
import { createDocumentClient } from './client.ts';
import { readNetwork, readSeller } from './reference.ts';

export interface ExportOptions {
  readonly endpoint?: string;
  readonly tableName: string;
  /** Use this client instead of building one (tests). */
  readonly doc?: DynamoDBDocumentClient;
}

/**
 * Every seller (with SKUs and stock) and the network-wide data of the table, in the shape of a
 * data directory. Sellers come in id order; records within a partition in key order.
 * @example const files = await readStoredNetwork({ tableName: 'SilkrouteTable', endpoint: 'http://127.0.0.1:4567' })
 */
export async function readStoredNetwork(options: ExportOptions): Promise<NetworkFiles> {
  const doc = options.doc ?? createDocumentClient(options.endpoint === undefined ? {} : { config: { endpoint: options.endpoint } });
  const ctx: StoreContext = { doc, tableName: options.tableName };
  const [network, sellerIds] = await Promise.all([readNetwork(ctx, { consistent: true }), sellerIdsOf(ctx)]);
  const sellers = [];
  for (const id of sellerIds) sellers.push(await readSeller(ctx, id, { consistent: true }));
  return {
    sellers: sellers.map((s) => s.seller),
    skus: sellers.flatMap((s) => s.skus),
    stock: sellers.flatMap((s) => s.stock),
    ...network,
  };
}

/** The ids of the stored sellers: one Scan for seller items (sellers have no index of their own). */
async function sellerIdsOf(ctx: StoreContext): Promise<string[]> {
  const ids: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await ctx.doc.send(
      new ScanCommand({
        TableName: ctx.tableName,
        FilterExpression: '#kind = :seller',
        ExpressionAttributeNames: { '#kind': 'kind', '#pk': 'pk' },
        ExpressionAttributeValues: { ':seller': 'seller' },
        ProjectionExpression: '#pk',
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) ids.push(String(item.pk).slice('SELLER#'.length));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return ids.sort();
}
