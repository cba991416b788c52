/**
 * The fetch intake over fakes: what reaches the intake and the cancel port for each kind of
 * notification, and what is retried (thrown) instead of dropped.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Intake } from '#orders/intake.ts';
import type { ConnectionStore, ResolvedConnection } from '#store/connections.ts';
import type { IntakeInput } from '#store/intake.ts';
import { canonicalOrderId } from '#shared/order-id.ts';
import { ConnectionMissingError, createFetchIntake, MarketplaceMessage } from './fetch-intake.ts';
import { ThrottledError, type SpApi, type TikTokShopApi } from './platform-api.ts';
import type { AmazonOrder } from './amazon.ts';

const NOTIFICATION = MarketplaceMessage.parse(JSON.parse(readFileSync(new URL('./fixtures/amazon/order-change-notification.json', import.meta.url), 'utf8')));
const ORDER = (JSON.parse(readFileSync(new URL('./fixtures/amazon/get-order.json', import.meta.url), 'utf8')) as { payload: AmazonOrder }).payload;
const AMAZON: ResolvedConnection = {
  platform: 'amazon',
  shop: 'A3TH9S8BH6GOGM',
  sellerId: 'yiwu-goods',
  secretName: 'p/amazon/A3TH9S8BH6GOGM',
  secrets: { current: 'Atzr|refresh' },
  credentials: { clientId: 'c', clientSecret: 's' },
  shipping: { carriers: ['YunExpress'] },
};

function setup(options: { connection?: ResolvedConnection | undefined; status?: string; throttle?: boolean } = {}) {
  const recorded: IntakeInput[] = [];
  const cancelled: string[] = [];
  const asked: unknown[] = [];
  const connection = 'connection' in options ? options.connection : AMAZON;
  const connections: ConnectionStore = { get: async () => connection, refresh: async () => undefined };
  const intake: Intake = {
    record: async (input) => {
      recorded.push(input);
      return { outcome: 'accepted', orderId: input.order.orderId, status: 'received', queue: 'sent' };
    },
  };
  const amazon: SpApi = {
    async getOrderWithItems(orderId, credentials) {
      asked.push({ orderId, credentials });
      if (options.throttle === true) throw new ThrottledError('429');
      return {
        order: { ...ORDER, AmazonOrderId: orderId, OrderStatus: options.status ?? 'Unshipped', ShippingAddress: { CountryCode: 'DE', PostalCode: '10115' } },
        items: [{ OrderItemId: '1', SellerSKU: 'UMB-3F', QuantityOrdered: 2 }],
      };
    },
  };
  const tiktokShop: TikTokShopApi = { getOrder: async () => undefined };
  const run = createFetchIntake({ connections, intake, cancel: async ({ orderId }) => (cancelled.push(orderId), { kind: 'cancelled' }), amazon, tiktokShop });
  return { run, recorded, cancelled, asked };
}

describe('fetch intake', () => {
  it('fetches with the refresh token and LWA client, and records the order with its notification id and the shop\'s shipping rules', async () => {
    const { run, recorded, asked } = setup();
    expect(await run(NOTIFICATION)).toEqual({ kind: 'accepted', orderId: canonicalOrderId('amazon', 'A3TH9S8BH6GOGM', '903-8868176-2219830') });
    expect(asked).toEqual([{ orderId: '903-8868176-2219830', credentials: { clientId: 'c', clientSecret: 's', refreshToken: 'Atzr|refresh' } }]);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ source: { platform: 'amazon', shop: 'A3TH9S8BH6GOGM' }, deliveryId: 'd0e9e693-c3ad-4373-979f-ed4ec98dd746', update: true, status: 'received' });
    expect(recorded[0]!.order.shippingRules).toEqual({ carriers: ['YunExpress'] });
    expect(recorded[0]!.order.sellerId).toBe('yiwu-goods');
  });

  it('gives a cancelled order\'s stock back and records nothing', async () => {
    const { run, recorded, cancelled } = setup({ status: 'Canceled' });
    expect((await run(NOTIFICATION)).kind).toBe('cancelled');
    expect(cancelled).toEqual([canonicalOrderId('amazon', 'A3TH9S8BH6GOGM', '903-8868176-2219830')]);
    expect(recorded).toEqual([]);
  });

  it('throws — so the queue keeps the message — for a throttled fetch, an unknown shop and missing credentials', async () => {
    await expect(setup({ throttle: true }).run(NOTIFICATION)).rejects.toBeInstanceOf(ThrottledError);
    await expect(setup({ connection: undefined }).run(NOTIFICATION)).rejects.toBeInstanceOf(ConnectionMissingError);
    const bare = { ...AMAZON, credentials: {} };
    await expect(setup({ connection: bare }).run(NOTIFICATION)).rejects.toThrow(/has no clientId/);
  });

  it('ignores, without a fetch, a notification of an Amazon-fulfilled order', async () => {
    const afn = structuredClone(NOTIFICATION) as { Payload: { OrderChangeNotification: { Summary: Record<string, unknown> } } };
    afn.Payload.OrderChangeNotification.Summary.FulfillmentType = 'AFN';
    const { run, asked } = setup();
    expect((await run(afn as never)).kind).toBe('ignored');
    expect(asked).toEqual([]);
  });
});
