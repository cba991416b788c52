/**
 * The environment the handlers see on the twin. Endpoints go through the AWS SDK v3's standard
 * service-specific variables (AWS_ENDPOINT_URL_<SERVICE ID>, read by @smithy/core's
 * getEndpointUrlConfig), so no code in lib/ or functions/ knows it runs on loopback.
 */
import { ENV, SWEEP } from '#shared/definitions.ts';

/** The region the twin pretends to be in (the CDK stack's default region). */
export const TWIN_REGION = 'eu-central-1';
/** The account id fauxqs puts into queue ARNs; the gateway and poller use the same. */
export const TWIN_ACCOUNT_ID = '000000000000';
export const TWIN_EMAIL_FROM = 'routing@silkroute.example';
export const TWIN_SECRETS_PREFIX = 'silkroute/local/webhooks/';
export const TWIN_SNAPSHOT_TTL_SECONDS = 60;
/** The one-click links' signing key on the twin (a random value written at the first start, ADR 0042). */
export const TWIN_ACTION_LINK_NAME = 'silkroute/local/action-links';
/** Dummy credentials: the local servers accept any signature, but the SDK insists on signing. */
export const TWIN_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

export interface TwinEndpoints {
  readonly dynamodb: string;
  readonly sqs: string;
  readonly sesv2: string;
  readonly secretsManager: string;
}

export interface TwinEnvInput {
  readonly endpoints: TwinEndpoints;
  readonly tableName: string;
  readonly ordersQueueUrl: string;
  readonly notificationsQueueUrl: string;
  /** Defaults to TWIN_SNAPSHOT_TTL_SECONDS. */
  readonly snapshotTtlSeconds?: number;
  /** Defaults to SWEEP.olderThanSeconds. */
  readonly sweepOlderThanSeconds?: number;
}

/**
 * The variables the SDK reads for each service's endpoint. Names derive from the client's
 * serviceId: "DynamoDB", "SQS", "SESv2", "Secrets Manager" (spaces become underscores).
 */
export const ENDPOINT_VARIABLES = {
  dynamodb: 'AWS_ENDPOINT_URL_DYNAMODB',
  sqs: 'AWS_ENDPOINT_URL_SQS',
  sesv2: 'AWS_ENDPOINT_URL_SESV2',
  secretsManager: 'AWS_ENDPOINT_URL_SECRETS_MANAGER',
} as const satisfies Record<keyof TwinEndpoints, string>;

/** Builds the full variable map for the handlers (pure: nothing is written to process.env). */
export function twinEnv(input: TwinEnvInput): Record<string, string> {
  return {
    AWS_REGION: TWIN_REGION,
    AWS_DEFAULT_REGION: TWIN_REGION,
    AWS_ACCESS_KEY_ID: TWIN_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TWIN_CREDENTIALS.secretAccessKey,
    [ENDPOINT_VARIABLES.dynamodb]: input.endpoints.dynamodb,
    [ENDPOINT_VARIABLES.sqs]: input.endpoints.sqs,
    [ENDPOINT_VARIABLES.sesv2]: input.endpoints.sesv2,
    [ENDPOINT_VARIABLES.secretsManager]: input.endpoints.secretsManager,
    [ENV.tableName]: input.tableName,
    [ENV.ordersQueueUrl]: input.ordersQueueUrl,
    [ENV.notificationsQueueUrl]: input.notificationsQueueUrl,
    [ENV.emailFrom]: TWIN_EMAIL_FROM,
    [ENV.secretsPrefix]: TWIN_SECRETS_PREFIX,
    [ENV.snapshotTtlSeconds]: String(input.snapshotTtlSeconds ?? TWIN_SNAPSHOT_TTL_SECONDS),
    [ENV.sweepOlderThanSeconds]: String(input.sweepOlderThanSeconds ?? SWEEP.olderThanSeconds),
    [ENV.actionLinkSigningName]: TWIN_ACTION_LINK_NAME,
    POWERTOOLS_SERVICE_NAME: 'silkroute',
    // One process hosts every function: EMF lines on stdout would bury the decision table.
    POWERTOOLS_METRICS_DISABLED: 'true',
  };
}

/**
 * Writes the map into `target` (process.env by default). Call it BEFORE importing any handler:
 * handlers validate their configuration once at init. A session token or profile from the
 * developer's shell would make the SDK sign with real credentials, so those are removed.
 */
export function applyEnv(env: Record<string, string>, target: NodeJS.ProcessEnv = process.env): void {
  delete target.AWS_SESSION_TOKEN;
  delete target.AWS_PROFILE;
  for (const [name, value] of Object.entries(env)) target[name] = value;
  // Handlers log at WARN unless the developer asks for more (POWERTOOLS_LOG_LEVEL=DEBUG npm start).
  target.POWERTOOLS_LOG_LEVEL ??= 'WARN';
}
