/**
 * Scheduled (EventBridge Scheduler hourly, FUNCTIONS.planEmail.schedule; a timer on the twin): the
 * load-plan email of each departure whose cut-off is within the seller's hours
 * (lib/planning/cutoff-emails.ts), with a signed one-click accept link. An event
 * `{ "now": "<ISO>", "sellerId": "…" }` runs it as of that time for one seller (tests, operators).
 * Exactly once per departure and seller: the email ledger, as for decisions and digests.
 */
import './cold-start.ts';
import { Logger } from '@aws-lambda-powertools/logger';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { createPlanMailer } from '#email/plan-email.ts';
import { createSesSender } from '#email/ses.ts';
import { sendCutoffEmails, type CutoffEmailOutcome } from '#planning/cutoff-emails.ts';
import { PLAN_ACTION, signPlanActionLink } from '#shared/action-link.ts';
import { loadConfig } from '#shared/config.ts';
import { createDocumentClient } from '#store/client.ts';
import { readLot } from '#store/inbound.ts';
import { createLinkSecret } from '#store/link-secret.ts';
import { createEmailLedger, createNotificationStore } from '#store/notifications.ts';
import { createHistoryReader } from '#store/planning.ts';
import { listSellerIds } from '#store/reference.ts';
import { createSnapshotLoader } from '#store/snapshot.ts';

const config = loadConfig(['tableName', 'emailFrom', 'snapshotTtlSeconds', 'actionLinkSigningName']);
const logger = new Logger({ serviceName: 'silkroute-plan-email' });
const store = { doc: createDocumentClient(), tableName: config.tableName };
const linkSecret = createLinkSecret(config.actionLinkSigningName);
// Read at the first run rather than at init: on the twin the gateway's URL is known only after
// the handlers are loaded (in AWS it is set at deploy time, so the first run fails fast the same way).
let publicApiUrl: string | undefined;

const ports = {
  sellers: () => listSellerIds(store),
  snapshots: createSnapshotLoader({ ...store, ttlSeconds: config.snapshotTtlSeconds }),
  history: createHistoryReader(store),
  accepted: async (sellerId: string, departureId: string) => (await readLot(store, sellerId, `plan-${departureId}`)) !== undefined,
  ledger: createEmailLedger(createNotificationStore(store)),
  mailer: createPlanMailer(createSesSender({ ses: new SESv2Client({}), from: config.emailFrom })),
  acceptUrl: async (claims: { sellerId: string; departureId: string; exp: number }) => {
    publicApiUrl ??= loadConfig(['publicApiUrl']).publicApiUrl.replace(/\/+$/, '');
    const token = signPlanActionLink({ action: PLAN_ACTION, ...claims }, await linkSecret());
    return `${publicApiUrl}/v1/plans/accept-link?t=${token}`;
  },
  log: { info: (m: string, a?: Record<string, unknown>) => logger.info(m, a ?? {}), warn: (m: string, a?: Record<string, unknown>) => logger.warn(m, a ?? {}) },
};

export async function handler(event: unknown): Promise<CutoffEmailOutcome[]> {
  const e = (event ?? {}) as { now?: unknown; sellerId?: unknown };
  const now = typeof e.now === 'string' && !Number.isNaN(Date.parse(e.now)) ? new Date(e.now) : new Date();
  return sendCutoffEmails(ports, now, typeof e.sellerId === 'string' ? { sellerId: e.sellerId } : {});
}
