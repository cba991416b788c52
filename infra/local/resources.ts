/**
 * The table and queues of the twin, built from the same definitions as the CDK stack
 * (TABLE and QUEUES in lib/shared/definitions.ts), so the laptop cannot drift from AWS.
 */
import { UpdateTimeToLiveCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { QUEUES, TABLE, type QueueDefinition } from '#shared/definitions.ts';
import { ensureTable } from '#store/table.ts';

export interface TwinQueue {
  readonly name: string;
  readonly url: string;
  readonly arn: string;
  readonly dlqUrl: string;
  readonly dlqArn: string;
}

export interface TwinResources {
  readonly tableName: string;
  /** False when the server has no UpdateTimeToLive (dynalite): items then never expire. */
  readonly ttlEnabled: boolean;
  readonly queues: Record<keyof typeof QUEUES, TwinQueue>;
}

/** Creates the table (with its GSI and TTL) and every queue with its DLQ and redrive policy. */
export async function createResources(
  clients: { dynamodb: DynamoDBClient; sqs: SQSClient },
  visibilityTimeoutSeconds?: number,
): Promise<TwinResources> {
  const tableName = TABLE.id;
  await ensureTable(clients.dynamodb, tableName);
  const ttlEnabled = await enableTtl(clients.dynamodb, tableName);
  const entries = await Promise.all(
    (Object.keys(QUEUES) as (keyof typeof QUEUES)[]).map(async (key) => [
        key,
        await createQueue(clients.sqs, { ...QUEUES[key], visibilityTimeoutSeconds: visibilityTimeoutSeconds ?? QUEUES[key].visibilityTimeoutSeconds }),
      ] as const),
  );
  return { tableName, ttlEnabled, queues: Object.fromEntries(entries) as Record<keyof typeof QUEUES, TwinQueue> };
}

async function enableTtl(client: DynamoDBClient, tableName: string): Promise<boolean> {
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TABLE.timeToLiveAttribute, Enabled: true },
      }),
    );
    return true;
  } catch (error) {
    // dynalite 4 has no UpdateTimeToLive; expiry only matters for dedup records on a long-lived twin.
    if ((error as { name?: string }).name === 'UnknownOperationException') return false;
    throw error;
  }
}

/** Creates `definition`'s queue and its DLQ; the queue names are the definition ids. */
export async function createQueue(sqs: SQSClient, definition: QueueDefinition): Promise<TwinQueue> {
  const retention = String(definition.retentionDays * 24 * 60 * 60);
  const dlqUrl = await queueUrl(sqs, definition.deadLetterQueueId, { MessageRetentionPeriod: retention });
  const dlqArn = await queueArn(sqs, dlqUrl);
  const url = await queueUrl(sqs, definition.id, {
    VisibilityTimeout: String(definition.visibilityTimeoutSeconds),
    MessageRetentionPeriod: retention,
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: definition.maxReceiveCount }),
  });
  return { name: definition.id, url, arn: await queueArn(sqs, url), dlqUrl, dlqArn };
}

async function queueUrl(sqs: SQSClient, name: string, attributes: Record<string, string>): Promise<string> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  if (QueueUrl === undefined) throw new Error(`CreateQueue ${name} returned no QueueUrl`);
  return QueueUrl;
}

async function queueArn(sqs: SQSClient, url: string): Promise<string> {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  if (Attributes?.QueueArn === undefined) throw new Error(`queue ${url} has no QueueArn`);
  return Attributes.QueueArn;
}
