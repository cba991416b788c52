/**
 * Creating the single table from its one definition (TABLE in lib/shared/definitions.ts), for
 * the local twin and tests. In AWS the CDK stack creates it from the same definition.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { TABLE } from '#shared/definitions.ts';

/** The CreateTable input for TABLE under `tableName` (on-demand billing, GSIs project all). */
export function createTableInput(tableName: string): CreateTableCommandInput {
  const attributes = new Map<string, 'S' | 'N' | 'B'>();
  const add = (key: { name: string; type: string }) => attributes.set(key.name, key.type as 'S' | 'N' | 'B');
  add(TABLE.partitionKey);
  add(TABLE.sortKey);
  for (const index of TABLE.globalSecondaryIndexes) {
    add(index.partitionKey);
    add(index.sortKey);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
    KeySchema: [
      { AttributeName: TABLE.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: TABLE.sortKey.name, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: TABLE.globalSecondaryIndexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: index.projection },
    })),
  };
}

/** Creates the table unless it exists, and waits until it is ACTIVE. */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new CreateTableCommand(createTableInput(tableName)));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  // dynalite keeps a new table CREATING for createTableMs; AWS for some seconds.
  for (let attempt = 0; attempt < 600; attempt += 1) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`table ${tableName} did not become ACTIVE`);
}
