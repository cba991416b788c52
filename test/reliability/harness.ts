/** Queue helpers of the reliability suite (the rest comes from test/helpers/worker-twin.ts). */
import { ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { TWIN_REGION } from '#infra/local/env.ts';
import { toRecord } from '#infra/local/poller.ts';

export { queueDepth, waitFor } from '../helpers/worker-twin.ts';

/**
 * Receives up to `max` messages (not deleting them: they come back after the visibility
 * timeout, as after a crash), shaped as the records Lambda would hand the function.
 */
export async function receiveAll(sqs: SQSClient, queueUrl: string, max: number): Promise<SQSRecord[]> {
  const records: SQSRecord[] = [];
  for (let attempt = 0; attempt < 20 && records.length < max; attempt++) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(10, max - records.length),
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    records.push(...Messages.map((m) => toRecord(m, `arn:aws:sqs:${TWIN_REGION}:000000000000:${queueUrl.split('/').pop()}`, TWIN_REGION)));
  }
  return records;
}
