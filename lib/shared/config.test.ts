import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const env = {
  TABLE_NAME: 'silkroute',
  ORDERS_QUEUE_URL: 'http://127.0.0.1:4566/000000000000/OrdersQueue',
  WEBHOOK_SECRETS_PREFIX: 'silkroute/local/webhooks/',
  SNAPSHOT_TTL_SECONDS: '30',
};

describe('loadConfig', () => {
  it('returns exactly the named settings, typed', () => {
    const config = loadConfig(['tableName', 'ordersQueueUrl', 'snapshotTtlSeconds'], env);
    expect(config).toEqual({
      tableName: 'silkroute',
      ordersQueueUrl: env.ORDERS_QUEUE_URL,
      snapshotTtlSeconds: 30,
    });
  });

  it('names every missing or malformed variable at once', () => {
    const call = () =>
      loadConfig(['tableName', 'ordersQueueUrl', 'emailFrom'], { ORDERS_QUEUE_URL: 'not a url', TABLE_NAME: '' });
    expect(call).toThrow(ConfigError);
    expect(call).toThrow(/TABLE_NAME: missing/);
    expect(call).toThrow(/ORDERS_QUEUE_URL: /);
    expect(call).toThrow(/EMAIL_FROM: missing/);
  });

  it('defaults the snapshot TTL and rejects a negative one', () => {
    expect(loadConfig(['snapshotTtlSeconds'], {}).snapshotTtlSeconds).toBe(60);
    expect(() => loadConfig(['snapshotTtlSeconds'], { SNAPSHOT_TTL_SECONDS: '-1' })).toThrow(/SNAPSHOT_TTL_SECONDS/);
  });
});
