import { createHash } from 'node:crypto';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TWIN_CREDENTIALS, TWIN_REGION } from '../infra/local/env.ts';
import { failuresOf, startPoller, type BatchOutcome, type Poller } from '../infra/local/poller.ts';
import { createQueue, type TwinQueue } from '../infra/local/resources.ts';
import { startSqsServer, type LocalServer } from '../infra/local/servers.ts';

async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('SQS poller (event source mapping on the twin)', () => {
  let server: LocalServer;
  let sqs: SQSClient;
  const pollers: Poller[] = [];

  beforeAll(async () => {
    server = await startSqsServer();
    sqs = new SQSClient({ region: TWIN_REGION, credentials: TWIN_CREDENTIALS, endpoint: server.endpoint });
  });
  afterAll(async () => {
    await Promise.all(pollers.map((p) => p.stop()));
    sqs.destroy();
    await server.stop();
  });

  /** A short-visibility queue so redelivery takes a second, not minutes. */
  const queue = (id: string, maxReceiveCount = 2) =>
    createQueue(sqs, { id, visibilityTimeoutSeconds: 1, maxReceiveCount, retentionDays: 1, deadLetterQueueId: `${id}-dlq` });

  const count = async (url: string) => {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return Number(Attributes?.ApproximateNumberOfMessages ?? 0) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
  };

  const send = (q: TwinQueue, body: string) =>
    sqs.send(
      new SendMessageCommand({
        QueueUrl: q.url,
        MessageBody: body,
        MessageAttributes: { source: { DataType: 'String', StringValue: 'test' } },
      }),
    );

  /** A poller on `q` with the settings these tests share; each test names what it varies. */
  const poll = (q: TwinQueue, options: Partial<Parameters<typeof startPoller>[0]> & Pick<Parameters<typeof startPoller>[0], 'handler'>) =>
    startPoller({
      sqs,
      queueUrl: q.url,
      batchSize: 10,
      maxBatchingWindowSeconds: 0,
      functionName: 'RouterFunction',
      waitTimeSeconds: 1,
      log: () => {},
      ...options,
    });

  it('delivers a batch, deletes the successes, redelivers the reported failure and dead-letters it after maxReceiveCount', async () => {
    const q = await queue('PartialQueue', 2);
    for (const body of ['{"n":1}', 'fail', '{"n":3}']) await send(q, body);
    const deliveries: SQSRecord[][] = [];
    const outcomes: BatchOutcome[] = [];
    pollers.push(
      await poll(q, {
        onBatch: (o) => outcomes.push(o),
        handler: async (event: SQSEvent) => {
          deliveries.push(event.Records);
          return {
            batchItemFailures: event.Records.filter((r) => r.body === 'fail').map((r) => ({ itemIdentifier: r.messageId })),
          };
        },
      }),
    );

    await waitFor(async () => ((await count(q.dlqUrl)) === 1 ? true : undefined), 'the failed message in the DLQ');
    expect(await count(q.url)).toBe(0);

    // The first invocation got all three, shaped as Lambda shapes SQS records.
    const first = deliveries[0]!;
    expect(first.map((r) => r.body).sort()).toEqual(['{"n":1}', '{"n":3}', 'fail'].sort());
    for (const record of first) {
      expect(record.eventSource).toBe('aws:sqs');
      expect(record.eventSourceARN).toBe(q.arn);
      expect(record.awsRegion).toBe(TWIN_REGION);
      expect(record.md5OfBody).toBe(createHash('md5').update(record.body).digest('hex'));
      expect(record.receiptHandle).not.toBe('');
      expect(record.attributes.ApproximateReceiveCount).toBe('1');
      expect(Number(record.attributes.SentTimestamp)).toBeGreaterThan(0);
      expect(record.messageAttributes.source).toMatchObject({ stringValue: 'test', dataType: 'String' });
    }
    // Successes are delivered once; the failure exactly maxReceiveCount times, counting up.
    const all = deliveries.flat();
    expect(all.filter((r) => r.body === '{"n":1}')).toHaveLength(1);
    expect(all.filter((r) => r.body === '{"n":3}')).toHaveLength(1);
    expect(all.filter((r) => r.body === 'fail').map((r) => r.attributes.ApproximateReceiveCount)).toEqual(['1', '2']);
    expect(outcomes[0]!.deleted).toHaveLength(2);
    expect(outcomes[0]!.retried).toEqual([first.find((r) => r.body === 'fail')!.messageId]);

    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: q.dlqUrl, MaxNumberOfMessages: 10 }));
    expect(Messages?.map((m) => m.Body)).toEqual(['fail']);
  });

  it('gathers messages that arrive within the batching window into one invocation', async () => {
    const q = await createQueue(sqs, { id: 'WindowQueue', visibilityTimeoutSeconds: 30, maxReceiveCount: 5, retentionDays: 1, deadLetterQueueId: 'WindowQueue-dlq' });
    const batches: string[][] = [];
    pollers.push(
      await poll(q, {
        maxBatchingWindowSeconds: 1,
        handler: async (event: SQSEvent) => {
          batches.push(event.Records.map((r) => r.body));
        },
      }),
    );
    await send(q, 'early');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await send(q, 'late');
    await waitFor(() => (batches.flat().length === 2 ? true : undefined), 'both messages');
    expect(batches).toEqual([['early', 'late']]);
    await waitFor(async () => ((await count(q.url)) === 0 ? true : undefined), 'deletion');
  });

  it('deletes nothing when the handler throws, then deletes on the successful retry', async () => {
    const q = await queue('ThrowQueue', 5);
    await send(q, 'a');
    await send(q, 'b');
    let calls = 0;
    const outcomes: BatchOutcome[] = [];
    pollers.push(
      await poll(q, {
        functionName: 'EmailFunction',
        onBatch: (o) => outcomes.push(o),
        handler: async (event: SQSEvent) => {
          calls += 1;
          if (calls === 1) throw new Error('SES is down');
          return { batchItemFailures: [] };
        },
      }),
    );
    await waitFor(() => (outcomes.length >= 2 ? true : undefined), 'the retry');
    expect(outcomes[0]).toMatchObject({ deleted: [], error: 'Error: SES is down' });
    expect(outcomes[0]!.retried).toHaveLength(2);
    expect(outcomes[1]!.deleted.slice().sort()).toEqual(outcomes[0]!.messageIds.slice().sort());
    expect(await count(q.url)).toBe(0);
    expect(await count(q.dlqUrl)).toBe(0);
  });

  it('retries the whole batch when the response names a message that is not in it', async () => {
    const q = await queue('InvalidQueue', 5);
    await send(q, 'x');
    const outcomes: BatchOutcome[] = [];
    let calls = 0;
    pollers.push(
      await poll(q, {
        onBatch: (o) => outcomes.push(o),
        handler: async () => {
          calls += 1;
          return calls === 1 ? { batchItemFailures: [{ itemIdentifier: 'not-a-message-id' }] } : undefined;
        },
      }),
    );
    await waitFor(() => (outcomes.length >= 2 ? true : undefined), 'the retry');
    expect(outcomes[0]!.deleted).toEqual([]);
    expect(outcomes[0]!.error).toMatch(/InvalidBatchResponseError/);
    expect(outcomes[1]!.deleted).toHaveLength(1);
  });

  it('stop() waits for the batch in flight, which then completes and is deleted', async () => {
    const q = await queue('StopQueue', 5);
    await send(q, 'slow');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started = false;
    const outcomes: BatchOutcome[] = [];
    const poller = await poll(q, {
      batchSize: 1,
      onBatch: (o) => outcomes.push(o),
      handler: async () => {
        started = true;
        await gate;
      },
    });
    await waitFor(() => (started ? true : undefined), 'the invocation');
    let stopped = false;
    const stopping = poller.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]!.deleted).toHaveLength(1);
    expect(await count(q.url)).toBe(0);
  });
});

describe('batch response rules', () => {
  const ids = ['m1', 'm2'];
  it('treats no response, null or empty failures as complete success', () => {
    for (const result of [undefined, null, {}, { batchItemFailures: null }, { batchItemFailures: [] }]) {
      expect(failuresOf(result, ids).size).toBe(0);
    }
  });
  it('returns the reported identifiers', () => {
    expect([...failuresOf({ batchItemFailures: [{ itemIdentifier: 'm2' }] }, ids)]).toEqual(['m2']);
  });
  it('rejects empty, missing or unknown identifiers and wrong shapes', () => {
    for (const result of [
      { batchItemFailures: [{ itemIdentifier: '' }] },
      { batchItemFailures: [{ itemIdentifier: null }] },
      { batchItemFailures: [{ id: 'm1' }] },
      { batchItemFailures: [{ itemIdentifier: 'm9' }] },
      { batchItemFailures: 'm1' },
      'ok',
      [1],
    ]) {
      expect(() => failuresOf(result, ids)).toThrow(/batchItemFailures|expected/);
    }
  });
});
