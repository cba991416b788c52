/**
 * The DecisionMailer port (lib/orders/ports.ts): render the decision email in the seller's
 * language, send it, answer the provider's message id with the address and subject it went to.
 */
import type { NetworkSnapshot } from '#network/types.ts';
import type { Decision } from '#routing/decision.ts';
import type { OrderRecord } from '#store/order-record.ts';
import { renderDecisionEmail } from './render.ts';
import type { EmailSender } from './ses.ts';

export interface DecisionMailer {
  send(input: { order: OrderRecord; decision: Decision; network: NetworkSnapshot; now: Date }): Promise<{ messageId: string; to: string; subject: string }>;
}

export function createDecisionMailer(sendEmail: EmailSender): DecisionMailer {
  return {
    async send(input) {
      const email = renderDecisionEmail(input);
      return { messageId: await sendEmail(email), to: email.to, subject: email.subject };
    },
  };
}
