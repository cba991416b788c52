import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { sqsBatchHandler } from './sqs-batch.ts';

const Message = z.object({ orderId: z.string().min(1) });

function record(messageId: string, body: string, receives: number): SQSRecord {
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body,
    attributes: { ApproximateReceiveCount: String(receives), SentTimestamp: '0', SenderId: 's', ApproximateFirstReceiveTimestamp: '0' },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-central-1:000000000000:q',
    awsRegion: 'eu-central-1',
  };
}

const context = { functionName: 'f', awsRequestId: 'r', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

function setup(options: { onLastReceive?: boolean } = {}) {
  const handled: { orderId: string; keys: Record<string, unknown> }[] = [];
  const lastReceives: { orderId: string; receives: number; error: string }[] = [];
  const handler = sqsBatchHandler({
    logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
    schema: Message,
    noun: 'test message',
    keysOf: (m) => ({ orderId: m.orderId }),
    retryLine: 'not done; SQS will retry it',
    maxReceiveCount: 3,
    ...(options.onLastReceive === false
      ? {}
      : { onLastReceive: async (m: { orderId: string }, error: Error, receives: number) => void lastReceives.push({ orderId: m.orderId, receives, error: error.message }) }),
    async handle(message, log) {
      handled.push({ orderId: message.orderId, keys: log.getPersistentLogAttributes() });
      if (message.orderId.startsWith('bad')) throw new Error(`cannot route ${message.orderId}`);
    },
  });
  return { handler, handled, lastReceives };
}

describe('the shared SQS batch helper', () => {
  it('parses each body with the schema, gives each record a logger carrying its keys, and fails only the bad records', async () => {
    const { handler, handled } = setup();
    const event: SQSEvent = {
      Records: [record('m1', '{"orderId":"o-1"}', 1), record('m2', 'not json', 1), record('m3', '{"orderId":""}', 1), record('m4', '{"orderId":"bad-4"}', 1)],
    };
    const response = await handler(event, context);
    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['m2', 'm3', 'm4']);
    expect(handled).toEqual([
      { orderId: 'o-1', keys: { orderId: 'o-1' } },
      { orderId: 'bad-4', keys: { orderId: 'bad-4' } },
    ]);
  });

  it('records the final failure only on the last receive, and still hands the record back', async () => {
    const { handler, lastReceives } = setup();
    const early = await handler({ Records: [record('m1', '{"orderId":"bad-1"}', 2)] }, context);
    expect(early.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }]);
    expect(lastReceives).toEqual([]);
    const last = await handler({ Records: [record('m2', '{"orderId":"bad-2"}', 3)] }, context);
    expect(last.batchItemFailures).toEqual([{ itemIdentifier: 'm2' }]);
    expect(lastReceives).toEqual([{ orderId: 'bad-2', receives: 3, error: 'cannot route bad-2' }]);
  });

  it('answers a batch whose every record failed with batchItemFailures, not a function error', async () => {
    const { handler } = setup({ onLastReceive: false });
    const response = await handler({ Records: [record('m1', '{"orderId":"bad-1"}', 9), record('m2', '{"orderId":"bad-2"}', 1)] }, context);
    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['m1', 'm2']);
  });
});
