import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { startDynalite, type DynaliteHandle } from '../../test/helpers/dynalite.ts';
import { createDocumentClient } from './client.ts';
import { ensureTable } from './table.ts';
import { createNotificationStore, EmailInFlightError, EmailSendError, sendOnce, type NotificationStore } from './notifications.ts';

const TABLE = 'notifications-test';
const NOW = new Date('2026-11-22T02:00:00Z');
const later = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

let db: DynaliteHandle;
let store: NotificationStore;
let counter = 0;
/** A fresh order id per test, so tests share one table without seeing each other's markers. */
const nextOrder = () => `ord-${++counter}`;

beforeAll(async () => {
  db = await startDynalite();
  await ensureTable(db.client, TABLE);
  store = createNotificationStore({ doc: createDocumentClient({ client: db.client }), tableName: TABLE, leaseSeconds: 40 });
});

afterAll(async () => {
  await db?.stop();
});

describe('exactly one email per decision', () => {
  it('sends once and does nothing when the same decision is notified again', async () => {
    const orderId = nextOrder();
    let sends = 0;
    const send = async () => `ses-${++sends}`;
    const first = await sendOnce(store, { orderId, decisionVersion: 1, now: NOW, send, clock: () => NOW });
    const second = await sendOnce(store, { orderId, decisionVersion: 1, now: later(300), send, clock: () => later(300) });
    expect(first).toEqual({ kind: 'sent', messageId: 'ses-1', takeover: false, recorded: true });
    expect(second).toEqual({ kind: 'already-sent', messageId: 'ses-1' });
    expect(sends).toBe(1);
    const marker = await store.get(orderId, 1);
    expect(marker).toMatchObject({ state: 'sent', messageId: 'ses-1', attempts: 1, sentAt: NOW.toISOString() });
  });

  it('sends again for a new decision version of the same order (a reroute brings its own email)', async () => {
    const orderId = nextOrder();
    let sends = 0;
    const send = async () => `ses-${++sends}`;
    await sendOnce(store, { orderId, decisionVersion: 1, now: NOW, send });
    const v2 = await sendOnce(store, { orderId, decisionVersion: 2, now: NOW, send });
    expect(v2).toMatchObject({ kind: 'sent', messageId: 'ses-2' });
    expect(sends).toBe(2);
  });

  it('fails a concurrent delivery while the lease runs, and the retry finds the email sent', async () => {
    const orderId = nextOrder();
    const claim = await store.claim(orderId, 1, NOW);
    expect(claim.kind).toBe('claimed');
    await expect(store.claim(orderId, 1, later(10))).rejects.toBeInstanceOf(EmailInFlightError);
    if (claim.kind !== 'claimed') throw new Error('unreachable');
    expect(await store.markSent(orderId, 1, claim.token, 'ses-a', later(1))).toBe(true);
    await expect(store.claim(orderId, 1, later(120))).resolves.toEqual({ kind: 'already-sent', messageId: 'ses-a' });
  });

  it('takes over the lease of a delivery that crashed before SES answered', async () => {
    const orderId = nextOrder();
    const crashed = await store.claim(orderId, 1, NOW);
    // The visibility timeout (120 s) is past the lease (40 s): the redelivery takes over.
    const result = await sendOnce(store, { orderId, decisionVersion: 1, now: later(120), send: async () => 'ses-retry' });
    expect(result).toMatchObject({ kind: 'sent', messageId: 'ses-retry', takeover: true, recorded: true });
    expect(await store.get(orderId, 1)).toMatchObject({ state: 'sent', attempts: 2 });
    // The crashed holder, had it woken up, could no longer mark or release the marker.
    if (crashed.kind !== 'claimed') throw new Error('unreachable');
    expect(await store.markSent(orderId, 1, crashed.token, 'ses-zombie', later(121))).toBe(false);
    await store.release(orderId, 1, crashed.token);
    expect(await store.get(orderId, 1)).toMatchObject({ state: 'sent', messageId: 'ses-retry' });
  });

  it('releases the marker and throws when SES fails, so the retry sends', async () => {
    const orderId = nextOrder();
    const ses = mockClient(SESv2Client);
    try {
      ses.on(SendEmailCommand).rejectsOnce(Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'TooManyRequestsException' })).resolves({ MessageId: 'ses-ok' });
      const client = new SESv2Client({ region: 'eu-west-1' });
      const send = async () => (await client.send(new SendEmailCommand({ FromEmailAddress: 'a@example.com', Content: {} }))).MessageId!;

      const failure = sendOnce(store, { orderId, decisionVersion: 1, now: NOW, send });
      await expect(failure).rejects.toBeInstanceOf(EmailSendError);
      await expect(failure).rejects.toMatchObject({ cause: { name: 'TooManyRequestsException' } });
      expect(await store.get(orderId, 1)).toBeUndefined();

      // The SQS retry comes before the lease would have expired: the release is what lets it send.
      const retry = await sendOnce(store, { orderId, decisionVersion: 1, now: later(5), send });
      expect(retry).toMatchObject({ kind: 'sent', messageId: 'ses-ok', takeover: false });
      expect(ses.commandCalls(SendEmailCommand)).toHaveLength(2);
    } finally {
      ses.restore();
    }
  });

  it('sends exactly once when five deliveries of one notification race', async () => {
    const orderId = nextOrder();
    let sends = 0;
    const send = async () => {
      sends += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return `ses-${sends}`;
    };
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => sendOnce(store, { orderId, decisionVersion: 1, now: NOW, send })),
    );
    expect(sends).toBe(1);
    expect(results.filter((r) => r.status === 'fulfilled' && r.value.kind === 'sent')).toHaveLength(1);
    // The losers either saw the email sent or were told to retry later; none sent.
    for (const r of results) {
      if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(EmailInFlightError);
    }
  });
});
