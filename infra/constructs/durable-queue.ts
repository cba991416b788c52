/**
 * A work queue and its dead-letter queue, both from one QUEUES entry: SSE, TLS-only, redrive
 * after maxReceiveCount. Used by the order pipeline and by notifications.
 */
import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { QUEUES, QueueDefinition } from '#shared/definitions.ts';
import type { NamedQueue } from './silkroute-function.ts';

export interface DurableQueueProps {
  readonly name: keyof typeof QUEUES;
  readonly definition: QueueDefinition;
}

/** SQS keeps at most 14 days; a dead letter keeps its original enqueue time, so use all of it. */
const DEAD_LETTER_RETENTION = Duration.days(14);

export class DurableQueue extends Construct implements NamedQueue {
  readonly name: keyof typeof QUEUES;
  readonly definition: QueueDefinition;
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: DurableQueueProps) {
    super(scope, id);
    this.name = props.name;
    this.definition = props.definition;
    // SQS-managed SSE: encryption at rest without a KMS key to grant to every producer and
    // consumer (and without KMS request costs on every message).
    this.deadLetterQueue = new Queue(this, props.definition.deadLetterQueueId, {
      retentionPeriod: DEAD_LETTER_RETENTION,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'Serverless-SQSRedrivePolicy',
      reason:
        'This is the dead-letter queue: a redrive policy on it would only move failures one hop further. It is alarmed (not empty, oldest message near expiry) and redriven by an operator (docs/operations.md).',
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This is the dead-letter queue of the work queue next to it; it needs no DLQ of its own.',
    });
    this.queue = new Queue(this, props.definition.id, {
      visibilityTimeout: Duration.seconds(props.definition.visibilityTimeoutSeconds),
      retentionPeriod: Duration.days(props.definition.retentionDays),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.definition.maxReceiveCount },
    });
  }

  get visibilityTimeoutSeconds(): number {
    return this.definition.visibilityTimeoutSeconds;
  }
}
