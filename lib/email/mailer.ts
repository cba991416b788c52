/**
 * The DecisionMailer port (lib/orders/ports.ts): render the decision email in the seller's
 * language, send it, answer the provider's message id with the address and subject it went to.
 * With `links`, the email carries a signed one-click reroute link (ADR 0041) to the API.
 */
import type { NetworkSnapshot } from '#network/types.ts';
import type { Decision } from '#routing/decision.ts';
import { ACTION_LINK_TTL_SECONDS, signActionLink } from '#shared/action-link.ts';
import type { OrderRecord } from '#store/order-record.ts';
import { renderDecisionEmail } from './render.ts';
import type { EmailSender } from './ses.ts';

export interface DecisionMailer {
  send(input: { order: OrderRecord; decision: Decision; network: NetworkSnapshot; now: Date }): Promise<{ messageId: string; to: string; subject: string }>;
}

/** Where one-click links point and the key they are signed with. */
export interface ActionLinkSigner {
  /** The API's base URL (PUBLIC_API_URL): links are `<baseUrl>/actions/<token>`. */
  readonly baseUrl: string;
  readonly secret: () => Promise<string>;
  /** Default ACTION_LINK_TTL_SECONDS (7 days). */
  readonly ttlSeconds?: number;
}

/**
 * The signed link that reroutes `order` at its current decision version, valid from `now` for the TTL.
 * @example await rerouteLink(signer, record, now) // 'https://api.example/actions/eyJhIjoi….Q2x…'
 */
export async function rerouteLink(signer: ActionLinkSigner, order: Pick<OrderRecord, 'orderId' | 'decisionVersion'>, now: Date): Promise<string> {
  const exp = Math.floor(now.getTime() / 1000) + (signer.ttlSeconds ?? ACTION_LINK_TTL_SECONDS);
  const token = signActionLink({ action: 'reroute', orderId: order.orderId, version: order.decisionVersion, exp }, await signer.secret());
  return `${signer.baseUrl.replace(/\/+$/, '')}/actions/${token}`;
}

export function createDecisionMailer(sendEmail: EmailSender, links?: ActionLinkSigner): DecisionMailer {
  return {
    async send(input) {
      const rerouteUrl = links === undefined ? undefined : await rerouteLink(links, input.order, input.now);
      const email = renderDecisionEmail({ ...input, ...(rerouteUrl !== undefined && { rerouteUrl }) });
      return { messageId: await sendEmail(email), to: email.to, subject: email.subject };
    },
  };
}
