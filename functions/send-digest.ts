/**
 * Scheduled (EventBridge Scheduler hourly, FUNCTIONS.digest.schedule; a timer on the twin): the
 * daily digest of each seller on `digest` whose local digest hour it is (lib/orders/digest.ts).
 * An event `{ "now": "<ISO>", "force": true, "sellerId": "…" }` sends one on demand (the CLI's
 * `silkroute digest --now`). Exactly once per period: the email ledger, as for decisions.
 */
import './cold-start.ts';
import { Logger } from '@aws-lambda-powertools/logger';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { createDigestMailer } from '#email/digest.ts';
import { createSesSender } from '#email/ses.ts';
import { sendDigests, type DigestOutcome } from '#orders/digest.ts';
import { loadConfig } from '#shared/config.ts';
import { createDocumentClient } from '#store/client.ts';
import { createEmailLedger, createNotificationStore } from '#store/notifications.ts';
import { createOrderStore } from '#store/orders.ts';
import { listSellerIds } from '#store/reference.ts';
import { createSnapshotLoader } from '#store/snapshot.ts';

const config = loadConfig(['tableName', 'emailFrom', 'snapshotTtlSeconds']);
const logger = new Logger({ serviceName: 'silkroute-digest' });
const store = { doc: createDocumentClient(), tableName: config.tableName };
const ports = {
  sellers: () => listSellerIds(store),
  orders: createOrderStore(store),
  snapshots: createSnapshotLoader({ ...store, ttlSeconds: config.snapshotTtlSeconds }),
  ledger: createEmailLedger(createNotificationStore(store)),
  mailer: createDigestMailer(createSesSender({ ses: new SESv2Client({}), from: config.emailFrom })),
  log: { info: (m: string, a?: Record<string, unknown>) => logger.info(m, a ?? {}), warn: (m: string, a?: Record<string, unknown>) => logger.warn(m, a ?? {}) },
};

export async function handler(event: unknown): Promise<DigestOutcome[]> {
  const e = (event ?? {}) as { now?: unknown; force?: unknown; sellerId?: unknown };
  const now = typeof e.now === 'string' && !Number.isNaN(Date.parse(e.now)) ? new Date(e.now) : new Date();
  return sendDigests(ports, now, { force: e.force === true, ...(typeof e.sellerId === 'string' && { sellerId: e.sellerId }) });
}
