/**
 * One Lambda function as Silkroute runs them: Node.js 24 on arm64, an ESM bundle built by the
 * local esbuild, an explicit log group in JSON, and `bind*` methods that grant least privilege
 * AND set the matching environment variable in one call, so neither can be forgotten.
 */
import * as path from 'node:path';
import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { IEmailIdentity } from 'aws-cdk-lib/aws-ses';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import { Construct } from 'constructs';
import { ENV, QUEUES, TABLE, TABLE_READ_ACTIONS, type FunctionDefinition, type TableAction } from '#shared/definitions.ts';
import { ValidationError } from '#shared/errors.ts';
import { METRICS } from '#shared/metrics.ts';
import type { StageSettings } from '../stages.ts';

/** A queue together with its name in QUEUES (the name picks the *_QUEUE_URL variable). */
export interface NamedQueue {
  readonly name: keyof typeof QUEUES;
  readonly queue: IQueue;
}

/** The verified SES identity and the From address covered by it. */
export interface EmailSender {
  readonly identity: IEmailIdentity;
  readonly from: string;
}

export interface SilkrouteFunctionProps {
  readonly definition: FunctionDefinition;
  readonly stage: StageSettings;
  /** Absolute path of the handler module (defaults to definition.entry under projectRoot). */
  readonly entry?: string;
  /** Repository root: package-lock.json and package.json "imports" live there. */
  readonly projectRoot: string;
}

const QUEUE_URL_ENV = {
  orders: ENV.ordersQueueUrl,
  notifications: ENV.notificationsQueueUrl,
} as const satisfies Record<keyof typeof QUEUES, string>;

// The actions behind TransactWriteItems/TransactGetItems are the item-level ones; there is no
// dynamodb:Transact* action. Each function names its own in FUNCTIONS[x].tableActions.
/**
 * The banner gives the ESM bundle a `require` for the CommonJS dependencies esbuild inlines
 * (the AWS SDK's smithy core still calls require('buffer') and friends).
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __silkrouteCreateRequire } from 'node:module'; const require = __silkrouteCreateRequire(import.meta.url);";

export class SilkrouteFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
  readonly definition: FunctionDefinition;

  constructor(scope: Construct, id: string, props: SilkrouteFunctionProps) {
    super(scope, id);
    const { definition, stage, projectRoot } = props;
    this.definition = definition;

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: stage.logRetention,
      removalPolicy: stage.removalPolicy,
    });
    // Our own role instead of AWSLambdaBasicExecutionRole: log writes scoped to this function's
    // log group, nothing else until a bind* call adds it.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Silkroute ${stage.name} ${definition.id}`,
    });
    this.logGroup.grantWrite(this.role);

    this.fn = new NodejsFunction(this, 'Function', {
      entry: props.entry ?? path.join(projectRoot, definition.entry),
      handler: 'handler',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: definition.memoryMb,
      timeout: Duration.seconds(definition.timeoutSeconds),
      description: `Silkroute ${stage.name}: ${definition.entry}`,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel[stage.logLevel],
      systemLogLevelV2: SystemLogLevel.WARN,
      tracing: Tracing.ACTIVE,
      projectRoot,
      depsLockFilePath: path.join(projectRoot, 'package-lock.json'),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: METRICS.service,
        POWERTOOLS_METRICS_NAMESPACE: METRICS.namespace,
        [ENV.snapshotTtlSeconds]: String(stage.snapshotTtlSeconds),
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        minify: true,
        sourceMap: true,
        // Linked, not external: EXTERNAL writes the .map without the sourceMappingURL comment,
        // and --enable-source-maps would then find nothing.
        sourceMapMode: SourceMapMode.DEFAULT,
        // Stack traces need file and line, not the original text: keeps the .map small.
        sourcesContent: false,
        // The SDK versions in package-lock.json are the ones the tests ran against; the runtime's
        // bundled SDK can be older or newer.
        bundleAwsSDK: true,
        forceDockerBundling: false,
      },
    });

    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only the X-Ray statement Lambda adds for active tracing (xray:PutTraceSegments, xray:PutTelemetryRecords): these actions support no resource-level permissions. Every Silkroute grant names its resource.',
    });
    Validations.of(this.fn).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        'Nothing invokes this function asynchronously: API Gateway invokes synchronously and SQS through an event source mapping, where the queue\'s own redrive policy is the dead-letter path. An async DLQ would never receive a message.',
    });
  }

  /**
   * Grants exactly `actions` on the table (and Query on its named indexes when the function
   * queries); `read` access refuses any write action. Sets TABLE_NAME.
   */
  bindTable(table: ITable, access: 'read' | 'write', actions: readonly TableAction[] = this.definition.tableActions ?? []): this {
    if (actions.length === 0) {
      throw new ValidationError([{ path: `FUNCTIONS.${this.definition.id}.tableActions`, message: 'a table binding needs the actions the function calls' }]);
    }
    const writes = actions.filter((a) => !TABLE_READ_ACTIONS.includes(a));
    if (access === 'read' && writes.length > 0) {
      throw new ValidationError([{ path: `FUNCTIONS.${this.definition.id}.tableActions`, message: `table:read cannot grant ${writes.join(', ')}` }]);
    }
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: actions.map((a) => `dynamodb:${a}`), resources: [table.tableArn] }),
    );
    if (actions.includes('Query')) {
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['dynamodb:Query'],
          // Named indexes rather than index/*: a new index is a deliberate grant.
          resources: TABLE.globalSecondaryIndexes.map((index) => `${table.tableArn}/index/${index.indexName}`),
        }),
      );
    }
    this.fn.addEnvironment(ENV.tableName, table.tableName);
    return this;
  }

  /** Grants sending to the queue; sets ORDERS_QUEUE_URL or NOTIFICATIONS_QUEUE_URL. */
  bindQueue(target: NamedQueue, access: 'send'): this {
    if (access !== 'send') throw new ValidationError([{ path: 'access', message: `unsupported queue access "${String(access)}"` }]);
    // SendMessage only: grantSendMessages would add GetQueueAttributes and GetQueueUrl, which no
    // function calls (they send to the URL in their environment). The queues use SQS-managed SSE,
    // so no KMS grant is needed.
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [target.queue.queueArn] }));
    this.fn.addEnvironment(QUEUE_URL_ENV[target.name], target.queue.queueUrl);
    return this;
  }

  /**
   * Grants GetSecretValue on every secret under the name prefix (webhook secrets are
   * `<prefix><platform>/<shop>`); sets WEBHOOK_SECRETS_PREFIX to the prefix, never a value.
   */
  bindSecrets(prefix: string): this {
    const secretsArn = Stack.of(this).formatArn({
      service: 'secretsmanager',
      resource: 'secret',
      // Secret ARNs end in a random 6-character suffix, so the prefix needs the trailing *.
      resourceName: `${prefix}*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secretsArn] }),
    );
    // cdk-nag names each wildcard finding by the flattened resource; acknowledge exactly this one.
    const finding = flattenCfnReference(Stack.of(this).resolve(secretsArn));
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${finding}]`,
      reason: `Webhook secrets are created per shop after deployment as ${prefix}<platform>/<shop>, and every secret ARN ends in a random suffix: the grant is read-only and limited to this stage's webhook prefix.`,
    });
    this.fn.addEnvironment(ENV.secretsPrefix, prefix);
    return this;
  }

  /**
   * Grants GetSecretValue on the one secret holding the one-click links' signing key (ADR 0042:
   * created by the operator, never in a template); sets ACTION_LINK_SIGNING_NAME to its name.
   */
  bindLinkSecret(name: string): this {
    const arn = Stack.of(this).formatArn({
      service: 'secretsmanager',
      resource: 'secret',
      // Secret ARNs end in "-" and a random 6-character suffix: exactly that, no prefix match.
      resourceName: `${name}-??????`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [arn] }));
    const finding = flattenCfnReference(Stack.of(this).resolve(arn));
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${finding}]`,
      reason: `The ? wildcards match only the random suffix Secrets Manager appends to the ARN of the one secret ${name}: read-only, one secret.`,
    });
    this.fn.addEnvironment(ENV.actionLinkSigningName, name);
    return this;
  }

  /** Grants ses:SendEmail for exactly this identity; sets EMAIL_FROM. */
  bindSes(sender: EmailSender): this {
    sender.identity.grant(this.role, 'ses:SendEmail');
    this.fn.addEnvironment(ENV.emailFrom, sender.from);
    return this;
  }

  /**
   * Consumes the queue with the settings from definition.sqs: batch size and window, partial
   * batch responses, and a concurrency cap where a downstream quota needs one.
   */
  consume(source: NamedQueue & { readonly visibilityTimeoutSeconds: number }): this {
    const sqs = this.definition.sqs;
    if (sqs === undefined || sqs.queue !== source.name) {
      throw new ValidationError([
        { path: `FUNCTIONS.${this.definition.id}.sqs`, message: `does not consume the ${source.name} queue` },
      ]);
    }
    // AWS guidance: a message must stay invisible while a batch (and its retries) can still be
    // in flight, or it is delivered twice while the first delivery is still running.
    if (source.visibilityTimeoutSeconds < 6 * this.definition.timeoutSeconds) {
      throw new ValidationError([
        {
          path: `QUEUES.${source.name}.visibilityTimeoutSeconds`,
          message: `${source.visibilityTimeoutSeconds} s is below 6 × the ${this.definition.id} timeout (${this.definition.timeoutSeconds} s)`,
        },
      ]);
    }
    Validations.of(this.fn).acknowledge({
      id: 'Serverless-LambdaEventSourceMappingDestination',
      reason:
        'SQS event source mappings do not support on-failure destinations (only stream and Kafka sources do); failed messages go to the queue\'s dead-letter queue after maxReceiveCount receives, and that queue is alarmed.',
    });
    this.fn.addEventSource(
      new SqsEventSource(source.queue, {
        batchSize: sqs.batchSize,
        maxBatchingWindow: Duration.seconds(sqs.maxBatchingWindowSeconds),
        reportBatchItemFailures: true,
        ...(sqs.maxConcurrency === undefined ? {} : { maxConcurrency: sqs.maxConcurrency }),
      }),
    );
    return this;
  }
}
