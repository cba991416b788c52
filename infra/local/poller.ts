/**
 * The local stand-in for Lambda's SQS event source mapping with ReportBatchItemFailures: long
 * polls, gathers up to batchSize within the batching window, invokes the handler with an
 * SQSEvent as Lambda builds it, then deletes every message not reported in batchItemFailures.
 * A throw, a timeout or an invalid response deletes nothing: the whole batch comes back after
 * the visibility timeout, and the queue's RedrivePolicy (fauxqs implements it on receive) moves
 * a message to its dead-letter queue after maxReceiveCount receives.
 */
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import { SilkrouteError } from '#shared/errors.ts';
import { invoke, type LambdaHandler } from './lambda.ts';

export interface PollerOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly handler: LambdaHandler<SQSEvent, unknown>;
  /** Records per invocation (the mapping's BatchSize). */
  readonly batchSize: number;
  /** How long to keep gathering once the first message arrived (MaximumBatchingWindowInSeconds). */
  readonly maxBatchingWindowSeconds: number;
  /** Passed on ReceiveMessage; omit to use the queue's own VisibilityTimeout, as the mapping does. */
  readonly visibilityTimeoutSeconds?: number;
  readonly functionName: string;
  /** The function timeout: an invocation running longer counts as failed. Default 30 s. */
  readonly timeoutSeconds?: number;
  readonly memoryMb?: number;
  /** Long-poll wait while the queue is empty (≤ 20). Default 20, like the mapping. */
  readonly waitTimeSeconds?: number;
  /** Where failures are reported. Defaults to console.error. */
  readonly log?: (line: string) => void;
  /** Called after each batch (tests and the start script's progress use it). */
  readonly onBatch?: (outcome: BatchOutcome) => void;
}

/** What happened to one batch. */
export interface BatchOutcome {
  readonly messageIds: readonly string[];
  readonly deleted: readonly string[];
  /** Left on the queue: reported failures, or all of them when the invocation failed. */
  readonly retried: readonly string[];
  /** Why the whole batch is retried (throw, timeout, invalid response); absent otherwise. */
  readonly error?: string;
}

export interface Poller {
  readonly queueArn: string;
  /** Stops polling and waits for the batch being processed (if any) to finish. */
  stop(): Promise<void>;
}

/** Starts polling `queueUrl` in the background; resolves once the queue's ARN is known. */
export async function startPoller(options: PollerOptions): Promise<Poller> {
  const log = options.log ?? ((line: string) => console.error(line));
  const { Attributes } = await options.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: options.queueUrl, AttributeNames: ['QueueArn'] }),
  );
  const queueArn = Attributes?.QueueArn;
  if (queueArn === undefined) throw new Error(`queue ${options.queueUrl} has no QueueArn`);
  const awsRegion = queueArn.split(':')[3] ?? 'eu-central-1';

  let stopping = false;
  let receiving: AbortController | undefined;
  let pause: { timer: NodeJS.Timeout; resolve: () => void } | undefined;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      pause = { timer: setTimeout(resolve, ms), resolve };
    }).finally(() => (pause = undefined));

  const receive = async (max: number, waitSeconds: number): Promise<Message[]> => {
    receiving = new AbortController();
    try {
      const { Messages } = await options.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: options.queueUrl,
          MaxNumberOfMessages: max,
          WaitTimeSeconds: waitSeconds,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
          ...(options.visibilityTimeoutSeconds !== undefined ? { VisibilityTimeout: options.visibilityTimeoutSeconds } : {}),
        }),
        { abortSignal: receiving.signal },
      );
      return Messages ?? [];
    } finally {
      receiving = undefined;
    }
  };

  const gather = async (): Promise<Message[]> => {
    // Keyed by message id: should a message come back within the window (visibility shorter
    // than the window), the batch carries it once, with its newest receipt handle.
    const batch = new Map<string, Message>();
    const first = await receive(Math.min(10, options.batchSize), Math.min(20, options.waitTimeSeconds ?? 20));
    for (const m of first) batch.set(m.MessageId!, m);
    if (batch.size === 0) return [];
    // Within the window, short polls: a long poll's whole-second wait would overrun the window.
    const deadline = Date.now() + options.maxBatchingWindowSeconds * 1000;
    while (!stopping && batch.size < options.batchSize && Date.now() < deadline) {
      const more = await receive(Math.min(10, options.batchSize - batch.size), 0);
      for (const m of more) batch.set(m.MessageId!, m);
      if (more.length === 0) await sleep(Math.min(100, Math.max(0, deadline - Date.now())));
    }
    return [...batch.values()];
  };

  const handleBatch = async (messages: Message[]): Promise<void> => {
    const event: SQSEvent = { Records: messages.map((m) => toRecord(m, queueArn, awsRegion)) };
    const ids = event.Records.map((r) => r.messageId);
    let failed: Set<string>;
    let error: string | undefined;
    try {
      const result = await invoke(options.handler, event, {
        functionName: options.functionName,
        timeoutSeconds: options.timeoutSeconds ?? 30,
        ...(options.memoryMb !== undefined ? { memoryMb: options.memoryMb } : {}),
      });
      failed = failuresOf(result, ids);
    } catch (e) {
      failed = new Set(ids);
      error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      log(`poller ${options.functionName}: batch of ${ids.length} failed, all will be retried: ${e instanceof Error ? (e.stack ?? error) : error}`);
    }
    const toDelete = event.Records.filter((r) => !failed.has(r.messageId));
    const deleted: string[] = [];
    for (let i = 0; i < toDelete.length; i += 10) {
      const chunk = toDelete.slice(i, i + 10);
      try {
        const out = await options.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: options.queueUrl,
            Entries: chunk.map((r, n) => ({ Id: String(n), ReceiptHandle: r.receiptHandle })),
          }),
        );
        for (const ok of out.Successful ?? []) deleted.push(chunk[Number(ok.Id)]!.messageId);
        for (const bad of out.Failed ?? []) log(`poller ${options.functionName}: delete failed: ${bad.Code} ${bad.Message ?? ''}`);
      } catch (e) {
        log(`poller ${options.functionName}: delete failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    options.onBatch?.({
      messageIds: ids,
      deleted,
      retried: ids.filter((id) => failed.has(id)),
      ...(error !== undefined ? { error } : {}),
    });
  };

  const loop = (async () => {
    while (!stopping) {
      let messages: Message[];
      try {
        messages = await gather();
      } catch (e) {
        if (stopping) break;
        log(`poller ${options.functionName}: receive failed: ${e instanceof Error ? e.message : String(e)}`);
        await sleep(1000);
        continue;
      }
      // Messages received while stopping stay in flight and come back after the visibility timeout.
      if (stopping || messages.length === 0) continue;
      try {
        await handleBatch(messages);
      } catch (e) {
        log(`poller ${options.functionName}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      }
    }
  })();

  return {
    queueArn,
    async stop() {
      stopping = true;
      receiving?.abort();
      if (pause !== undefined) {
        clearTimeout(pause.timer);
        pause.resolve();
      }
      await loop;
    },
  };
}

/**
 * The record Lambda builds from a received message. Attribute names and casing follow the
 * Lambda event (camelCase message attribute fields, base64 binary values).
 */
export function toRecord(message: Message, queueArn: string, awsRegion: string): SQSRecord {
  const a = message.Attributes ?? {};
  const attributes: SQSRecord['attributes'] = {
    ApproximateReceiveCount: a.ApproximateReceiveCount ?? '1',
    SentTimestamp: a.SentTimestamp ?? String(Date.now()),
    SenderId: a.SenderId ?? '',
    ApproximateFirstReceiveTimestamp: a.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    ...(a.SequenceNumber !== undefined ? { SequenceNumber: a.SequenceNumber } : {}),
    ...(a.MessageGroupId !== undefined ? { MessageGroupId: a.MessageGroupId } : {}),
    ...(a.MessageDeduplicationId !== undefined ? { MessageDeduplicationId: a.MessageDeduplicationId } : {}),
    ...(a.AWSTraceHeader !== undefined ? { AWSTraceHeader: a.AWSTraceHeader } : {}),
  };
  const messageAttributes: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    messageAttributes[name] = {
      ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
      ...(value.BinaryValue !== undefined ? { binaryValue: Buffer.from(value.BinaryValue).toString('base64') } : {}),
      stringListValues: value.StringListValues ?? [],
      binaryListValues: (value.BinaryListValues ?? []).map((b) => Buffer.from(b).toString('base64')),
      dataType: value.DataType ?? 'String',
    };
  }
  return {
    messageId: message.MessageId!,
    receiptHandle: message.ReceiptHandle!,
    body: message.Body ?? '',
    attributes,
    messageAttributes,
    md5OfBody: message.MD5OfBody ?? '',
    ...(message.MD5OfMessageAttributes !== undefined ? { md5OfMessageAttributes: message.MD5OfMessageAttributes } : {}),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion,
  };
}

/** The handler's response is not a valid partial batch response; the whole batch is retried. */
export class InvalidBatchResponseError extends SilkrouteError {
  override readonly name: string = 'InvalidBatchResponseError';
}

/**
 * The message ids to retry, per Lambda's rules for ReportBatchItemFailures: no response, an
 * empty or null batchItemFailures → none; an identifier that is missing, empty or not in the
 * batch, or a response of the wrong shape → InvalidBatchResponseError (whole batch retried).
 */
export function failuresOf(result: unknown, messageIds: readonly string[]): Set<string> {
  if (result === undefined || result === null) return new Set();
  if (typeof result !== 'object' || Array.isArray(result)) {
    throw new InvalidBatchResponseError(`expected { batchItemFailures } or nothing, got ${typeof result}`);
  }
  const list = (result as { batchItemFailures?: unknown }).batchItemFailures;
  if (list === undefined || list === null) return new Set();
  if (!Array.isArray(list)) throw new InvalidBatchResponseError('batchItemFailures must be an array');
  const known = new Set(messageIds);
  const failed = new Set<string>();
  for (const item of list) {
    const id = typeof item === 'object' && item !== null ? (item as { itemIdentifier?: unknown }).itemIdentifier : undefined;
    if (typeof id !== 'string' || id === '' || !known.has(id)) {
      throw new InvalidBatchResponseError(`batchItemFailures has an invalid itemIdentifier: ${JSON.stringify(id ?? null)}`);
    }
    failed.add(id);
  }
  return failed;
}
