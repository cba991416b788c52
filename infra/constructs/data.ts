/**
 * The single DynamoDB table, built from TABLE: pk/sk, gsi1, TTL, on-demand, PITR, encrypted.
 * Retained with deletion protection in prod; destroyed with the stack in dev.
 */
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { TABLE } from '#shared/definitions.ts';
import type { StageSettings } from '../stages.ts';

export interface DataProps {
  readonly stage: StageSettings;
}

/** The only attribute type TABLE uses; a new one must be mapped here on purpose. */
const ATTRIBUTE_TYPES = { S: AttributeType.STRING } as const;

export class Data extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: DataProps) {
    super(scope, id);
    this.table = new Table(this, TABLE.id, {
      partitionKey: { name: TABLE.partitionKey.name, type: ATTRIBUTE_TYPES[TABLE.partitionKey.type] },
      sortKey: { name: TABLE.sortKey.name, type: ATTRIBUTE_TYPES[TABLE.sortKey.type] },
      timeToLiveAttribute: TABLE.timeToLiveAttribute,
      // Webhook traffic is bursty (flash sales) and idle at night: pay per request.
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // AWS-owned keys would do for most data, but an AWS-managed key leaves a CloudTrail record
      // of every key use without a key policy to maintain or grant to each function.
      encryption: TableEncryption.AWS_MANAGED,
      deletionProtection: props.stage.tableDeletionProtection,
      removalPolicy: props.stage.removalPolicy,
      ...(props.stage.warmThroughput === undefined ? {} : { warmThroughput: props.stage.warmThroughput }),
    });
    for (const index of TABLE.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey.name, type: ATTRIBUTE_TYPES[index.partitionKey.type] },
        sortKey: { name: index.sortKey.name, type: ATTRIBUTE_TYPES[index.sortKey.type] },
        projectionType: ProjectionType[index.projection],
      });
    }
  }
}
