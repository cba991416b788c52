/**
 * The one SQS batch helper every queue consumer shares: Powertools partial batch responses, the
 * body parsed with the message's schema, a child logger per record carrying the message's keys,
 * and last-receive handling (the record is about to move to its DLQ: say so where the seller can
 * see it). A record that throws goes back to the queue alone.
 *
 * throwOnFullBatchFailure is false: a batch whose every record failed (one throttled record, a
 * concurrent duplicate waiting for its winner's notification) is reported record by record like any
 * partial failure, so SQS retries the same messages and the function's Errors alarm (threshold 1)
 * stays for real faults instead of paging on an expected retry.
 */
import middy, { type MiddlewareObj } from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { z } from 'zod';

export interface SqsConsumer<M> {
  readonly logger: Logger;
  /** The message body's schema (lib/shared/messages.ts). */
  readonly schema: z.ZodType<M>;
  /** `order message`: for the line about an unreadable body. */
  readonly noun: string;
  /** Keys every log line about this record carries. */
  readonly keysOf: (message: M) => Record<string, unknown>;
  readonly handle: (message: M, log: Logger, record: SQSRecord) => Promise<void>;
  /** The line logged when a record failed and goes back to the queue. */
  readonly retryLine: string;
  /** The queue's max receives; with `onLastReceive`, called once a record failed its last one. */
  readonly maxReceiveCount?: number;
  readonly onLastReceive?: (message: M, error: Error, receives: number) => Promise<unknown>;
  readonly processInParallel?: boolean;
  /** More middlewares (e.g. Powertools logMetrics). */
  readonly use?: readonly MiddlewareObj<SQSEvent, SQSBatchResponse, Error, Context>[];
}

export function sqsBatchHandler<M>(consumer: SqsConsumer<M>) {
  const { logger } = consumer;
  const processor = new BatchProcessor(EventType.SQS);

  async function recordHandler(record: SQSRecord): Promise<void> {
    let message: M;
    try {
      message = consumer.schema.parse(JSON.parse(record.body));
    } catch (error) {
      logger.error(`unreadable ${consumer.noun}; it will end in the DLQ`, { sqsMessageId: record.messageId, error: error as Error });
      throw error;
    }
    // Every line about this record carries its keys, also when records of a batch interleave.
    const log = logger.createChild({ persistentKeys: consumer.keysOf(message) });
    try {
      await consumer.handle(message, log, record);
    } catch (error) {
      const receives = Number(record.attributes.ApproximateReceiveCount);
      if (consumer.onLastReceive !== undefined && consumer.maxReceiveCount !== undefined && receives >= consumer.maxReceiveCount) {
        // This was the last try: SQS moves the message to the DLQ; say so on the order, too.
        await consumer
          .onLastReceive(message, error as Error, receives)
          .catch((lastError: unknown) => log.error('could not record the final failure', { error: lastError as Error }));
      }
      log.warn(consumer.retryLine, { sqsMessageId: record.messageId, receives, error: error as Error });
      throw error;
    }
  }

  let handler = middy<SQSEvent, SQSBatchResponse, Error, Context>().use(injectLambdaContext(logger));
  for (const middleware of consumer.use ?? []) handler = handler.use(middleware);
  return handler.handler((event, context) =>
    processPartialResponse(event, recordHandler, processor, {
      context,
      throwOnFullBatchFailure: false,
      ...(consumer.processInParallel === false ? { processInParallel: false } : {}),
    }),
  );
}
