/**
 * The order side of the pipeline: the orders queue (webhooks and API → routing worker) with its
 * dead-letter queue, and the Secrets Manager name prefix the webhook secrets live under.
 */
import { Construct } from 'constructs';
import { QUEUES } from '#shared/definitions.ts';
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
  /** Secrets are created by operators (docs/operations.md), never by the stack: no value in a template. */
  readonly secretsPrefix: string;

  constructor(scope: Construct, id: string, props: OrderPipelineProps) {
    super(scope, id);
    this.orders = new DurableQueue(this, 'Orders', { name: 'orders', definition: QUEUES.orders });
    this.secretsPrefix = webhookSecretsPrefix(props.stage);
  }
}
