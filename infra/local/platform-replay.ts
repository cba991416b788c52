/**
 * Replays the marketplace samples of events/platforms/ on the twin, as the platforms would: each
 * order is put into its platform's stand-in (infra/local/platforms.ts), then Amazon's ORDER_CHANGE
 * notification is sent to the marketplace queue (SP-API sends it to the stack's queue itself) and
 * TikTok Shop's webhook is POSTed to /webhooks/tiktok-shop, signed with the demo app secret. The
 * fetcher then fetches each order from the stand-in and records it. Timestamps are set at replay
 * time, so the demo's deadlines never lie in the past. Format: events/platforms/README.md.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { tiktokWebhookSignature } from '#marketplaces/tiktok-shop.ts';
import type { Connection } from '#network/schemas.ts';
import { canonicalOrderId } from '#shared/order-id.ts';
import type { PlatformStandIns } from './platforms.ts';
import type { ReplayResult } from './replay.ts';

const Json = z.record(z.string(), z.unknown());
export const PlatformSample = z.discriminatedUnion('platform', [
  z.object({ platform: z.literal('amazon'), shop: z.string().min(1), notification: Json, order: Json.and(z.object({ AmazonOrderId: z.string() })), items: z.array(Json) }),
  z.object({ platform: z.literal('tiktok-shop'), shop: z.string().min(1), webhook: Json, order: Json.and(z.object({ id: z.string() })) }),
]);
export type PlatformSample = z.infer<typeof PlatformSample>;

const DAY = 86_400_000;

/** Reads every `*.json` of `dir` (sorted); a missing directory is no samples. */
export async function loadPlatformSamples(dir: string): Promise<{ file: string; sample: PlatformSample }[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return Promise.all(names.map(async (file) => ({ file, sample: PlatformSample.parse(JSON.parse(await readFile(join(dir, file), 'utf8'))) })));
}

/** The demo connections' authorisations, as the sellers granted them to the app on each platform. */
export function authoriseDemoConnections(standIns: PlatformStandIns, connections: readonly Connection[]): void {
  for (const c of connections) {
    if (c.platform === 'amazon' && c.credentials?.clientId !== undefined && c.credentials.clientSecret !== undefined) {
      standIns.authoriseAmazon({ clientId: c.credentials.clientId, clientSecret: c.credentials.clientSecret, refreshToken: c.secret });
    }
    if (c.platform === 'tiktok-shop' && c.credentials?.appKey !== undefined && c.credentials.accessToken !== undefined) {
      standIns.authoriseTikTok({
        appKey: c.credentials.appKey,
        appSecret: c.secret,
        accessToken: c.credentials.accessToken,
        ...(c.credentials.shopCipher === undefined ? {} : { shopCipher: c.credentials.shopCipher }),
      });
    }
  }
}

/** The sample with its times moved to `now` (placed two minutes ago; Amazon's promise three weeks out). */
export function freshened(sample: PlatformSample, now: Date): PlatformSample {
  const placed = new Date(now.getTime() - 120_000);
  if (sample.platform === 'amazon') {
    const order = { ...sample.order, PurchaseDate: placed.toISOString(), LastUpdateDate: now.toISOString() };
    if ('LatestDeliveryDate' in order) order.LatestDeliveryDate = new Date(now.getTime() + 21 * DAY).toISOString();
    if ('EarliestDeliveryDate' in order) order.EarliestDeliveryDate = new Date(now.getTime() + 7 * DAY).toISOString();
    return { ...sample, order, notification: { ...sample.notification, EventTime: now.toISOString() } };
  }
  const seconds = Math.floor(placed.getTime() / 1000);
  const data = { ...(sample.webhook.data as Record<string, unknown>), update_time: seconds + 60 };
  return {
    ...sample,
    order: { ...sample.order, create_time: seconds, paid_time: seconds + 30, update_time: seconds + 60 },
    webhook: { ...sample.webhook, timestamp: seconds + 60, data },
  };
}

export interface PlatformReplayOptions {
  readonly apiUrl: string;
  readonly standIns: PlatformStandIns;
  readonly connections: readonly Connection[];
  readonly sqs: SQSClient;
  readonly marketplaceQueueUrl: string;
  readonly samples: readonly { file: string; sample: PlatformSample }[];
  readonly now?: Date;
}

/** Delivers every sample as its platform would; the results name the orders to wait for. */
export async function replayPlatformOrders(options: PlatformReplayOptions): Promise<ReplayResult[]> {
  const now = options.now ?? new Date();
  const results: ReplayResult[] = [];
  for (const { file, sample: raw } of options.samples) {
    const sample = freshened(raw, now);
    const connection = options.connections.find((c) => c.platform === sample.platform && c.shop === sample.shop);
    if (connection === undefined) {
      results.push({ file, platform: sample.platform, shop: sample.shop, status: 'skipped', problem: `no connection for ${sample.platform} ${sample.shop} in connections.json` });
      continue;
    }
    const base = { file, platform: sample.platform, shop: sample.shop, apiKey: connection.apiKey };
    try {
      if (sample.platform === 'amazon') {
        options.standIns.putAmazonOrder(sample.order, sample.items);
        await options.sqs.send(new SendMessageCommand({ QueueUrl: options.marketplaceQueueUrl, MessageBody: JSON.stringify(sample.notification) }));
        results.push({ ...base, orderId: canonicalOrderId('amazon', sample.shop, sample.order.AmazonOrderId), status: 'notified' });
        continue;
      }
      options.standIns.putTikTokOrder(connection.credentials?.accessToken ?? '', sample.order);
      const body = JSON.stringify(sample.webhook);
      const response = await fetch(new URL('/webhooks/tiktok-shop', options.apiUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: tiktokWebhookSignature(body, connection.credentials?.appKey ?? '', connection.secret) },
        body,
      });
      const answer = (await response.json().catch(() => undefined)) as { orderId?: string; status?: string; error?: { message?: string } } | undefined;
      results.push({
        ...base,
        httpStatus: response.status,
        ...(answer?.orderId === undefined ? {} : { orderId: answer.orderId }),
        status: answer?.status ?? `http ${response.status}`,
        ...(response.ok ? {} : { problem: answer?.error?.message ?? `http ${response.status}` }),
      });
    } catch (error) {
      results.push({ ...base, status: 'failed', problem: error instanceof Error ? error.message : String(error) });
    }
  }
  return results;
}
