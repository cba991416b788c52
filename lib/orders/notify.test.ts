import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { TransientError } from '#shared/errors.ts';
import { createDocumentClient } from '#store/client.ts';
import { createEmailLedger, createNotificationStore, EmailSendError, type NotificationStore } from '#store/notifications.ts';
import type { OrderRecord } from '#store/order-record.ts';
import { ensureTable } from '#store/table.ts';
import { startDynalite, type DynaliteHandle } from '../../test/helpers/dynalite.ts';
import { NOW, scenario } from '#email/fixtures.ts';
import { createDecisionMailer } from '#email/mailer.ts';
import { createSesSender } from '#email/ses.ts';
import { DecisionNotVisibleError, notifyDecision, type NotifyPorts } from './notify.ts';

const TABLE = 'notify-test';
const silent = { info: () => undefined, warn: () => undefined };

let db: DynaliteHandle;
let notifications: NotificationStore;
const ses = mockClient(SESv2Client);

beforeAll(async () => {
  db = await startDynalite();
  await ensureTable(db.client, TABLE);
  notifications = createNotificationStore({ doc: createDocumentClient({ client: db.client }), tableName: TABLE });
});

afterEach(() => ses.reset());
afterAll(async () => {
  ses.restore();
  await db?.stop();
});

function ports(order: OrderRecord): NotifyPorts & { snapshotLoads: number } {
  const input = scenario('warehouse', 'zh-CN');
  const result = {
    snapshotLoads: 0,
    orders: { getOrder: async (id: string) => (id === order.orderId ? order : undefined) },
    snapshots: {
      load: async () => {
        result.snapshotLoads += 1;
        return input.network;
      },
    },
    ledger: createEmailLedger(notifications),
    mailer: createDecisionMailer(createSesSender({ ses: new SESv2Client({ region: 'eu-central-1' }), from: 'routing@silkroute.example' })),
    log: silent,
    clock: () => NOW,
  };
  return result;
}

function orderAt(orderId: string, decisionVersion: number): OrderRecord {
  const { order } = scenario('warehouse', 'zh-CN');
  return { ...order, orderId, decisionVersion };
}

describe('notify: one notification message', () => {
  it('sends the decision email through SES as UTF-8 HTML and text, from the configured address to the seller', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
    const order = orderAt('n-1', 1);
    const outcome = await notifyDecision({ orderId: 'n-1', decisionVersion: 1 }, ports(order), NOW);
    expect(outcome).toMatchObject({ kind: 'sent', messageId: 'ses-1', to: 'orders@tianmen-garments.example' });
    const [call] = ses.commandCalls(SendEmailCommand);
    const input = call!.args[0].input;
    expect(input.FromEmailAddress).toBe('routing@silkroute.example');
    expect(input.Destination?.ToAddresses).toEqual(['orders@tianmen-garments.example']);
    const simple = input.Content?.Simple;
    expect(simple?.Subject).toEqual({ Data: '【Silkroute】订单 #1042 → 杜伊斯堡海外仓 ¥50.10，预计 11月24–26日送达', Charset: 'UTF-8' });
    expect(simple?.Body?.Html?.Charset).toBe('UTF-8');
    expect(simple?.Body?.Html?.Data).toContain('<!DOCTYPE html>');
    expect(simple?.Body?.Text?.Charset).toBe('UTF-8');
    expect(simple?.Body?.Text?.Data).toContain('【费用明细】');
  });

  it('releases the marker and fails the record when SES refuses, so the retry sends', async () => {
    ses
      .on(SendEmailCommand)
      .rejectsOnce(Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable', $fault: 'server' }))
      .resolves({ MessageId: 'ses-2' });
    const order = orderAt('n-2', 1);
    const p = ports(order);
    await expect(notifyDecision({ orderId: 'n-2', decisionVersion: 1 }, p, NOW)).rejects.toBeInstanceOf(EmailSendError);
    expect(await notifications.get('n-2', 1)).toBeUndefined();
    await expect(notifyDecision({ orderId: 'n-2', decisionVersion: 1 }, p, NOW)).resolves.toMatchObject({ kind: 'sent', messageId: 'ses-2' });
    // A third delivery neither renders nor sends.
    const loads = p.snapshotLoads;
    await expect(notifyDecision({ orderId: 'n-2', decisionVersion: 1 }, p, NOW)).resolves.toEqual({ kind: 'already-sent', messageId: 'ses-2' });
    expect(p.snapshotLoads).toBe(loads);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(2);
  });

  it('skips a decision a reroute has replaced: the newer one brings its own email', async () => {
    const order = orderAt('n-3', 2);
    await expect(notifyDecision({ orderId: 'n-3', decisionVersion: 1 }, ports(order), NOW)).resolves.toEqual({
      kind: 'superseded',
      currentVersion: 2,
    });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });

  it('retries a message that arrives before its decision is readable', async () => {
    const order = orderAt('n-4', 1);
    const attempt = notifyDecision({ orderId: 'n-4', decisionVersion: 2 }, ports(order), NOW);
    await expect(attempt).rejects.toBeInstanceOf(DecisionNotVisibleError);
    await expect(attempt).rejects.toBeInstanceOf(TransientError);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });
});

describe('notify: the seller\'s notification preferences', () => {
  function withMode(order: OrderRecord, mode: 'digest' | 'exceptions'): NotifyPorts & { snapshotLoads: number } {
    const p = ports(order);
    const load = p.snapshots.load;
    return {
      ...p,
      snapshots: {
        load: async (sellerId: string, now: Date) => {
          const network = await load(sellerId, now);
          return { ...network, sellers: network.sellers.map((s) => (s.id === order.sellerId ? { ...s, notifications: { mode } } : s)) };
        },
      },
    };
  }

  it('sends no per-order email to a digest seller, records why, and a redelivery sends none either', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-x' });
    const order = orderAt('pref-1', 1);
    const p = withMode(order, 'digest');
    await expect(notifyDecision({ orderId: 'pref-1', decisionVersion: 1 }, p, NOW)).resolves.toEqual({ kind: 'skipped', why: 'digest-seller' });
    expect(await notifications.get('pref-1', 1)).toMatchObject({ state: 'sent', skipped: 'digest-seller' });
    await expect(notifyDecision({ orderId: 'pref-1', decisionVersion: 1 }, p, NOW)).resolves.toMatchObject({ kind: 'already-sent' });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });

  it('sends an exceptions-only seller no email for a routed order', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-y' });
    const order = orderAt('pref-2', 1);
    expect(order.decision?.status).toBe('routed');
    await expect(notifyDecision({ orderId: 'pref-2', decisionVersion: 1 }, withMode(order, 'exceptions'), NOW)).resolves.toEqual({
      kind: 'skipped',
      why: 'exceptions-only-routed',
    });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });
});
