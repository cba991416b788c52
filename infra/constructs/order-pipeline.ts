/**
 * The order side of the pipeline: the orders queue (webhooks and API → routing worker) with its
 * dead-letter queue, and the Secrets Manager name prefix the webhook secrets live under.
 */
import { AccountPrincipal, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { MARKETPLACE_APIS, QUEUES } from '#shared/definitions.ts';
import type { StageSettings } from '../stages.ts';
import { DurableQueue } from './durable-queue.ts';

export interface OrderPipelineProps {
  readonly stage: StageSettings;
}

/** Where a stage's webhook secrets live: `<prefix><platform>/<shop>`. */
export function webhookSecretsPrefix(stage: StageSettings): string {
  return `silkroute/${stage.name}/webhooks/`;
}

export class OrderPipeline extends Construct {
  readonly orders: DurableQueue;
  /** The SP-API notifications destination and the TikTok Shop fetch queue (ADR 0043). */
  readonly marketplace: DurableQueue;
  /** Secrets are created by operators (docs/operations.md), never by the stack: no value in a template. */
  readonly secretsPrefix: string;

  constructor(scope: Construct, id: string, props: OrderPipelineProps) {
    super(scope, id);
    this.orders = new DurableQueue(this, 'Orders', { name: 'orders', definition: QUEUES.orders });
    this.marketplace = new DurableQueue(this, 'Marketplace', { name: 'marketplace', definition: QUEUES.marketplace });
    // The SP-API Notifications guide: the destination queue lets Amazon's notifications account
    // send to it and read its attributes (createDestination checks them). SQS-managed SSE needs no key grant.
    this.marketplace.queue.addToResourcePolicy(
      new PolicyStatement({
        sid: 'SellingPartnerApiNotifications',
        principals: [new AccountPrincipal(MARKETPLACE_APIS.spApiNotificationsAccount)],
        actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes'],
        resources: [this.marketplace.queue.queueArn],
      }),
    );
    this.secretsPrefix = webhookSecretsPrefix(props.stage);
  }
}
