/**
 * One definition, two runtimes: the table, the queues, the functions and the HTTP routes as
 * plain data. The CDK stack (infra/) and the local twin (infra/local/) both build from this
 * module, so the laptop cannot drift from AWS. No CDK or SDK imports here.
 */

/** The single DynamoDB table (see docs/decisions/0002-one-table.md). */
export const TABLE = {
  /** Logical id in CDK; the physical name on the twin. */
  id: 'SilkrouteTable',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  /** Epoch seconds; idempotency and delivery-dedup records expire. */
  timeToLiveAttribute: 'expiresAt',
  globalSecondaryIndexes: [
    {
      /** Orders by seller, newest first: gsi1pk = SELLER#<id>#ORDERS, gsi1sk = <placedAt>#<orderId>. */
      indexName: 'gsi1',
      partitionKey: { name: 'gsi1pk', type: 'S' },
      sortKey: { name: 'gsi1sk', type: 'S' },
      /**
       * Keys only: an order item is updated three or four times (intake, decision, notified,
       * queued) but its index keys never change, so the index takes one write per order instead of
       * one per update — what keeps a big seller's index partition under DynamoDB's 1,000 writes/s
       * in a 50× burst (docs/decisions/0002-one-table.md). Listing reads the records by key.
       */
      projection: 'KEYS_ONLY',
    },
    {
      /**
       * Sparse: only orders still `received` carry these attributes (set at intake, removed by the
       * decision commit or when the order is marked failed), so the outbox sweep reads the orders
       * that may be stuck and nothing else. rcvpk = RECEIVED#<shard 0..7> spreads a burst over
       * eight index partitions; rcvsk = <receivedAt>#<orderId>, oldest first.
       */
      indexName: 'received',
      partitionKey: { name: 'rcvpk', type: 'S' },
      sortKey: { name: 'rcvsk', type: 'S' },
      projection: 'KEYS_ONLY',
    },
  ],
} as const;

/**
 * Retention (docs/operations.md, "Personal data"): the order item (with the buyer's postal code)
 * and its business-key item expire this long after intake, through the table's TTL; the decision
 * records (ORDER#<id>/DECISION#<v>, no buyer data) stay for the reports.
 */
export const RETENTION = {
  buyerDataDays: 400,
} as const;

/** The outbox sweep (lib/store/sweep.ts, functions/sweep-outbox.ts). */
export const SWEEP = {
  /** An order `received` this long without a decision is queued again (and again after as long). */
  olderThanSeconds: 300,
  /** Orders re-queued per run at most; the rest wait for the next run, oldest first. */
  maxOrdersPerRun: 500,
  /** Alarm when the oldest undecided order is older than this. */
  alarmAgeSeconds: 900,
  /** Shards of the `received` index partition key. */
  shards: 8,
} as const;

export interface QueueDefinition {
  readonly id: string;
  /** Must be ≥ 6 × the consuming function's timeout (AWS guidance for event source mappings). */
  readonly visibilityTimeoutSeconds: number;
  /** Receives before a message moves to the dead-letter queue. */
  readonly maxReceiveCount: number;
  readonly retentionDays: number;
  readonly deadLetterQueueId: string;
}

export const QUEUES = {
  orders: {
    id: 'OrdersQueue',
    visibilityTimeoutSeconds: 180,
    maxReceiveCount: 5,
    retentionDays: 14,
    deadLetterQueueId: 'OrdersDeadLetterQueue',
  },
  notifications: {
    id: 'NotificationsQueue',
    visibilityTimeoutSeconds: 120,
    maxReceiveCount: 5,
    retentionDays: 14,
    deadLetterQueueId: 'NotificationsDeadLetterQueue',
  },
  /**
   * Thin marketplace notifications whose order must be fetched (issue 16, ADR 0043): the SP-API
   * destination queue (Amazon sends ORDER_CHANGE here itself) and TikTok Shop webhooks once
   * verified. A throttled fetch leaves its message here for later (backoff by visibility), so
   * receives run out slowly: 10 of them span hours before the DLQ.
   */
  marketplace: {
    id: 'MarketplaceNotificationsQueue',
    visibilityTimeoutSeconds: 180,
    maxReceiveCount: 10,
    retentionDays: 14,
    deadLetterQueueId: 'MarketplaceNotificationsDeadLetterQueue',
  },
} as const satisfies Record<string, QueueDefinition>;

/** Environment variable names every function reads (validated at init by lib/shared/config.ts). */
export const ENV = {
  tableName: 'TABLE_NAME',
  ordersQueueUrl: 'ORDERS_QUEUE_URL',
  notificationsQueueUrl: 'NOTIFICATIONS_QUEUE_URL',
  emailFrom: 'EMAIL_FROM',
  /** Secrets Manager name prefix for webhook secrets: <prefix><platform>/<shop>. */
  secretsPrefix: 'WEBHOOK_SECRETS_PREFIX',
  /** Seconds a seller's network snapshot may be reused by a warm container. */
  snapshotTtlSeconds: 'SNAPSHOT_TTL_SECONDS',
  /** Optional: days an order's buyer data is kept (default RETENTION.buyerDataDays). */
  buyerDataRetentionDays: 'BUYER_DATA_RETENTION_DAYS',
  /** Optional: seconds before the sweep re-queues a received order (default SWEEP.olderThanSeconds). */
  sweepOlderThanSeconds: 'SWEEP_OLDER_THAN_SECONDS',
  /** The Secrets Manager name of the one-click link signing key (docs/decisions/0041, 0042); the name, never the value. */
  actionLinkSigningName: 'ACTION_LINK_SIGNING_NAME',
  /** The public base URL of the HTTP API, for the links in emails (https://…, no trailing slash needed). */
  publicApiUrl: 'PUBLIC_API_URL',
  /** The marketplace notifications queue (TikTok Shop webhooks are sent to it; its consumer delays throttled messages). */
  marketplaceQueueUrl: 'MARKETPLACE_QUEUE_URL',
  /** Optional: Login with Amazon's token endpoint (default MARKETPLACE_APIS.lwaTokenUrl). */
  amazonLwaTokenUrl: 'AMAZON_LWA_TOKEN_URL',
  /** Optional: the SP-API endpoint of the sellers' region (default MARKETPLACE_APIS.spApiUrl, Europe). */
  amazonSpApiUrl: 'AMAZON_SP_API_URL',
  /** Optional: TikTok Shop's Open API endpoint (default MARKETPLACE_APIS.tiktokShopApiUrl). */
  tiktokShopApiUrl: 'TIKTOK_SHOP_API_URL',
  /** Optional: first backoff after a 429 from a platform API, doubled per receive (default MARKETPLACE_APIS.throttleBackoffSeconds). */
  throttleBackoffSeconds: 'MARKETPLACE_THROTTLE_BACKOFF_SECONDS',
} as const;

/** The platforms' public endpoints (configuration: the twin points them at its stand-ins). */
export const MARKETPLACE_APIS = {
  lwaTokenUrl: 'https://api.amazon.com/auth/o2/token',
  spApiUrl: 'https://sellingpartnerapi-eu.amazon.com',
  tiktokShopApiUrl: 'https://open-api.tiktokglobalshop.com',
  throttleBackoffSeconds: 30,
  /** SQS's own limit on a message's visibility timeout is 12 h; a throttled fetch waits at most this. */
  maxBackoffSeconds: 900,
  /** The AWS account SP-API sends notifications from (Selling Partner API Notifications guide). */
  spApiNotificationsAccount: '437568002678',
} as const;

/** The load plan and the savings report over the API (issue 13; docs/decisions/0034-plans-over-the-api.md). */
export const PLANNING = {
  /** Days of routing history read before `now` for a plan (the demand window and a margin for late decisions). */
  historyDays: 35,
  /** Longest period a savings report may span (the API reads every order placed in it). */
  maxReportDays: 92,
  /** Hours before a departure's cut-off the seller's plan email goes out, unless the seller sets `planEmailHours` (ADR 0042). */
  emailHoursBeforeCutoff: 24,
} as const;

export type Binding = 'table:read' | 'table:write' | 'orders:send' | 'notifications:send' | 'ses:send' | 'secrets:read' | 'links:sign' | 'marketplace:send';

/** DynamoDB item actions a function may be granted (the IAM names; transactions use the item ones). */
export type TableAction = 'GetItem' | 'BatchGetItem' | 'Query' | 'Scan' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'BatchWriteItem' | 'ConditionCheckItem';
/** The actions that only read; `table:read` may name no other. */
export const TABLE_READ_ACTIONS: readonly TableAction[] = ['GetItem', 'BatchGetItem', 'Query', 'Scan', 'ConditionCheckItem'];

export interface FunctionDefinition {
  readonly id: string;
  /** Path from the repository root. */
  readonly entry: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  /** Least privilege: what the function may touch. */
  readonly bindings: readonly Binding[];
  /**
   * With table:read or table:write: exactly the DynamoDB actions the function calls, and no other
   * (infra/least-privilege.test.ts holds each list to the function's code).
   */
  readonly tableActions?: readonly TableAction[];
  /** For SQS consumers: the queue and the event source mapping settings. */
  readonly sqs?: {
    readonly queue: keyof typeof QUEUES;
    readonly batchSize: number;
    readonly maxBatchingWindowSeconds: number;
    /** Cap on concurrent invocations (protects a downstream quota such as the SES send rate). */
    readonly maxConcurrency?: number;
    /** The handler changes its messages' visibility (backoff): it gets the queue's URL. */
    readonly changesVisibility?: boolean;
  };
  /** For scheduled functions: EventBridge Scheduler in AWS, a timer on the twin. */
  readonly schedule?: { readonly everyMinutes: number };
}

export const FUNCTIONS = {
  webhooks: {
    id: 'WebhooksFunction',
    entry: 'functions/webhooks.ts',
    memoryMb: 512,
    timeoutSeconds: 5,
    bindings: ['table:write', 'orders:send', 'secrets:read', 'marketplace:send'],
    // connection lookup (Get); intake's transaction (Put members) and duplicate reads; the queuedAt stamp (Update).
    tableActions: ['GetItem', 'PutItem', 'UpdateItem'],
  },
  api: {
    id: 'ApiFunction',
    entry: 'functions/api.ts',
    memoryMb: 1024,
    timeoutSeconds: 10,
    bindings: ['table:write', 'orders:send', 'links:sign'],
    // API keys and orders (Get); the network snapshot for quotes (Query, BatchGet). A reroute only sends a message.
    // A one-click link's single use (Put, then Get when it was used before).
    // Stock reports (Update); shipments and cancellations: their transactions' Update and Put members.
    tableActions: ['GetItem', 'BatchGetItem', 'Query', 'UpdateItem', 'PutItem'],
  },
  router: {
    id: 'RouterFunction',
    entry: 'functions/route-orders.ts',
    memoryMb: 1024,
    timeoutSeconds: 30,
    bindings: ['table:write', 'notifications:send'],
    // the order (Get); the snapshot (Query, BatchGet); the commit's Update members, failed and notified marks (Update);
    // the commit's decision record, kept past the order's retention (Put).
    tableActions: ['GetItem', 'BatchGetItem', 'Query', 'UpdateItem', 'PutItem'],
    sqs: { queue: 'orders', batchSize: 10, maxBatchingWindowSeconds: 1 },
  },
  email: {
    id: 'EmailFunction',
    entry: 'functions/send-email.ts',
    memoryMb: 512,
    timeoutSeconds: 20,
    bindings: ['table:write', 'ses:send', 'links:sign'],
    // the order and the sent mark (Get); the snapshot (Query, BatchGet); the send claim (Update) and its release (Delete).
    tableActions: ['GetItem', 'BatchGetItem', 'Query', 'UpdateItem', 'DeleteItem'],
    sqs: { queue: 'notifications', batchSize: 10, maxBatchingWindowSeconds: 1, maxConcurrency: 5 },
  },
  sweep: {
    id: 'SweepFunction',
    entry: 'functions/sweep-outbox.ts',
    memoryMb: 256,
    timeoutSeconds: 60,
    bindings: ['table:write', 'orders:send'],
    // the sparse received index (Query); the per-order sweep claim (Update).
    tableActions: ['Query', 'UpdateItem'],
    schedule: { everyMinutes: 1 },
  },
  digest: {
    id: 'DigestFunction',
    entry: 'functions/send-digest.ts',
    memoryMb: 512,
    timeoutSeconds: 120,
    bindings: ['table:write', 'ses:send'],
    // the seller list, the snapshot and the seller's orders (Query, BatchGet); the marker read (Get),
    // its claim (Update) and its release after a failed send (Delete).
    tableActions: ['GetItem', 'BatchGetItem', 'Query', 'UpdateItem', 'DeleteItem'],
    // Hourly: each seller's digest goes out in the run of its local digest hour.
    schedule: { everyMinutes: 60 },
  },
  planning: {
    id: 'PlanningFunction',
    entry: 'functions/planning.ts',
    // A plan prices every SKU and destination through the routing core: a whole vCPU (1,769 MB).
    memoryMb: 1769,
    timeoutSeconds: 28,
    bindings: ['table:write', 'links:sign'],
    // API keys (Get); the seller's orders by gsi1, their items and the snapshot (Query, BatchGet).
    // Accepting a plan (bookInbound): the lot (Put) and the departure's capacity (Update) in one transaction; the stored lot (Get).
    tableActions: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem'],
  },
  planEmail: {
    id: 'PlanEmailFunction',
    entry: 'functions/send-plan-emails.ts',
    // Each due seller's plan prices its SKUs through the routing core, as GET /v1/plans does.
    memoryMb: 1769,
    timeoutSeconds: 300,
    bindings: ['table:write', 'ses:send', 'links:sign'],
    // The seller list, orders by gsi1, their items and the snapshot (Query, BatchGet); the email marker read (Get),
    // its claim and its sent or skipped mark (Update), its release after a failed send (Delete).
    tableActions: ['GetItem', 'BatchGetItem', 'Query', 'UpdateItem', 'DeleteItem'],
    // Hourly: a departure's email goes out in the first run after its cut-off minus the seller's hours.
    schedule: { everyMinutes: 60 },
  },
  arrivals: {
    id: 'ArrivalsFunction',
    entry: 'functions/arrive-lots.ts',
    memoryMb: 256,
    timeoutSeconds: 60,
    bindings: ['table:write'],
    // the seller list and each seller's lots (Query); a lot and its stock items (Get); the arrival's transaction (Update members).
    tableActions: ['GetItem', 'Query', 'UpdateItem'],
    // Hourly: a lot is stock from 00:00 UTC of its arrival day; until the run, routing still sees it arriving today.
    schedule: { everyMinutes: 60 },
  },
  fetcher: {
    id: 'MarketplaceFetchFunction',
    entry: 'functions/fetch-orders.ts',
    memoryMb: 512,
    timeoutSeconds: 30,
    bindings: ['table:write', 'orders:send', 'secrets:read'],
    // as the webhooks: connection lookup (Get), intake (Put members, Get, Update), cancellations (Update, Put members).
    tableActions: ['GetItem', 'PutItem', 'UpdateItem'],
    // One at a time per batch and few in flight: SP-API's getOrder allows 0.5 requests/s (burst 30).
    sqs: { queue: 'marketplace', batchSize: 5, maxBatchingWindowSeconds: 1, maxConcurrency: 2, changesVisibility: true },
  },
} as const satisfies Record<string, FunctionDefinition>;

export type FunctionName = keyof typeof FUNCTIONS;

/**
 * THE route table: every HTTP route, the function behind it and the operation (the handler's name
 * inside that function). The API function's router (@middy/http-router), the webhook function's
 * adapter lookup, the twin's gateway and the CDK HTTP API are all built from it.
 */
export const ROUTES = [
  { method: 'POST', path: '/webhooks/shopify', function: 'webhooks', operation: 'shopify' },
  { method: 'POST', path: '/webhooks/woocommerce', function: 'webhooks', operation: 'woocommerce' },
  { method: 'POST', path: '/webhooks/orders', function: 'webhooks', operation: 'standard' },
  { method: 'POST', path: '/v1/quotes', function: 'api', operation: 'createQuote' },
  { method: 'GET', path: '/v1/orders/{orderId}', function: 'api', operation: 'getOrder' },
  { method: 'POST', path: '/v1/orders/{orderId}/reroute', function: 'api', operation: 'rerouteOrder' },
  { method: 'GET', path: '/openapi.json', function: 'api', operation: 'openApi' },
  { method: 'PUT', path: '/v1/stock', function: 'api', operation: 'putStock' },
  { method: 'POST', path: '/v1/orders/{orderId}/shipments/{n}/shipped', function: 'api', operation: 'shipmentShipped' },
  { method: 'POST', path: '/v1/orders/{orderId}/cancel', function: 'api', operation: 'cancelOrder' },
  { method: 'POST', path: '/v1/inbound', function: 'api', operation: 'createInbound' },
  { method: 'GET', path: '/v1/plans', function: 'planning', operation: 'getPlans' },
  { method: 'GET', path: '/v1/reports/savings', function: 'planning', operation: 'getSavingsReport' },
  { method: 'POST', path: '/v1/plans/{departureId}/accept', function: 'planning', operation: 'acceptPlan' },
  { method: 'GET', path: '/v1/plans/accept-link', function: 'planning', operation: 'acceptLinkPage' },
  { method: 'POST', path: '/v1/plans/accept-link', function: 'planning', operation: 'acceptLinkConfirm' },
  // One-click action links from email (ADR 0041): the page a link opens (changes nothing), and its button.
  { method: 'GET', path: '/actions/{token}', function: 'api', operation: 'showAction' },
  { method: 'POST', path: '/actions/{token}', function: 'api', operation: 'performAction' },
  { method: 'POST', path: '/webhooks/tiktok-shop', function: 'webhooks', operation: 'tiktokShop' },
] as const satisfies readonly RouteDefinition[];

export interface RouteDefinition {
  readonly method: 'GET' | 'POST' | 'PUT';
  /** As in API Gateway: `/v1/orders/{orderId}`. */
  readonly path: string;
  readonly function: FunctionName;
  readonly operation: string;
}

export type Route = (typeof ROUTES)[number];
/** The operations one function serves: `Operation<'api'>` is `'createQuote' | 'getOrder' | …`. */
export type Operation<F extends FunctionName> = Extract<Route, { function: F }>['operation'];

/** The routes one function serves, in table order. */
export function routesOf<F extends FunctionName>(fn: F): Extract<Route, { function: F }>[] {
  return ROUTES.filter((r): r is Extract<Route, { function: F }> => r.function === fn);
}

/** Does a request path (`/v1/orders/ord_1`) fit a route path (`/v1/orders/{orderId}`)? A parameter takes one non-empty segment. */
function fitsPath(template: string, path: string): boolean {
  const want = template.split('/');
  const got = (path.length > 1 ? path.replace(/\/$/, '') : path).split('/');
  return want.length === got.length && want.every((part, i) => (part.startsWith('{') ? got[i] !== '' : part === got[i]));
}

/**
 * The methods ROUTES serves at a request path, in table order (`/v1/quotes` → `['POST']`), for
 * a 405's `Allow` header; undefined when no route has the path (a 404). Every function answers
 * from the whole table, so the catch-all of a path may reach any of them.
 */
export function allowedMethods(path: string): string[] | undefined {
  const methods = [...new Set(ROUTES.filter((r) => fitsPath(r.path, path)).map((r) => r.method))];
  return methods.length === 0 ? undefined : methods;
}

/**
 * One `ANY` route per route path, to the function of its first route: API Gateway (and the twin's
 * gateway) route only declared method + path pairs, so without it a wrong method never reaches a
 * function and is API Gateway's bare 404, not our 405 with `Allow` (docs/decisions/0049).
 */
export function catchAllRoutes(): { readonly path: string; readonly function: FunctionName }[] {
  const seen = new Map<string, FunctionName>();
  for (const r of ROUTES) if (!seen.has(r.path)) seen.set(r.path, r.function);
  return [...seen].map(([path, fn]) => ({ path, function: fn }));
}

/** Largest request body accepted (bytes); larger gets 413. */
export const MAX_BODY_BYTES = 256 * 1024;
