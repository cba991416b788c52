/**
 * The DynamoDB document client every repository uses. The endpoint comes from the SDK's
 * standard configuration (AWS_ENDPOINT_URL_DYNAMODB, then AWS_ENDPOINT_URL), so the local
 * twin points it at dynalite with an environment variable and no code path differs.
 */
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { meterCapacity } from './capacity-meter.ts';

/** Marshalling shared by every document client of the project. */
export const MARSHALL_OPTIONS = {
  // Optional fields of our records are often `undefined`; DynamoDB rejects them otherwise.
  removeUndefinedValues: true,
  // Our records are plain data; a class instance reaching the table is a bug, not a map.
  convertClassInstanceToMap: false,
} as const;

/**
 * A document client over `client`, or over a new DynamoDBClient built from `config` and the
 * SDK's standard environment. `createDocumentClient()` in a Lambda; tests pass their client.
 */
export function createDocumentClient(
  options: { client?: DynamoDBClient; config?: DynamoDBClientConfig } = {},
): DynamoDBDocumentClient {
  const client = options.client ?? new DynamoDBClient(options.config ?? {});
  // Requests and consumed capacity counted per operation (lib/store/capacity-meter.ts).
  meterCapacity(client);
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: MARSHALL_OPTIONS,
    unmarshallOptions: { wrapNumbers: false },
  });
}
