/**
 * Per-stage settings: what differs between dev and prod. Everything that must NOT differ (keys,
 * queue settings, function sizes, routes) lives in lib/shared/definitions.ts.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { QUEUES } from '#shared/definitions.ts';

export const STAGE_NAMES = ['dev', 'prod'] as const;
export type StageName = (typeof STAGE_NAMES)[number];

export interface StageSettings {
  readonly name: StageName;
  /** Lambda and API access logs. */
  readonly logRetention: RetentionDays;
  /** Table, log groups and the SES identity: kept when the stack goes away in prod. */
  readonly removalPolicy: RemovalPolicy;
  readonly tableDeletionProtection: boolean;
  /** HTTP API default-route throttling (all routes share it). */
  readonly throttle: { readonly burstLimit: number; readonly rateLimit: number };
  /** Lambda application log level (Lambda JSON logs; Powertools Logger honours it). */
  readonly logLevel: 'DEBUG' | 'INFO' | 'WARN';
  /** Seconds a warm container may reuse a seller's network snapshot. */
  readonly snapshotTtlSeconds: number;
  /** Oldest message older than this on a work queue means the consumer is stuck or too slow. */
  readonly queueAgeAlarmSeconds: Record<keyof typeof QUEUES, number>;
  /**
   * The table's warm throughput (on-demand, pre-warmed before a sale; docs/scale.md): what it
   * serves at once without throttling while on-demand scaling catches up. Absent: AWS's default
   * for a new on-demand table (12,000 read / 4,000 write units per second).
   */
  readonly warmThroughput?: { readonly readUnitsPerSecond: number; readonly writeUnitsPerSecond: number };
}

export const STAGES: Record<StageName, StageSettings> = {
  dev: {
    name: 'dev',
    logRetention: RetentionDays.ONE_MONTH,
    removalPolicy: RemovalPolicy.DESTROY,
    tableDeletionProtection: false,
    throttle: { burstLimit: 50, rateLimit: 20 },
    logLevel: 'DEBUG',
    snapshotTtlSeconds: 60,
    queueAgeAlarmSeconds: { orders: 300, notifications: 900 },
  },
  prod: {
    name: 'prod',
    logRetention: RetentionDays.ONE_YEAR,
    removalPolicy: RemovalPolicy.RETAIN,
    tableDeletionProtection: true,
    // Shopify bursts order webhooks during flash sales; a 5 s timeout with retries means a
    // throttled webhook is redelivered, but each 429 still burns one of its 8 retries.
    // Singles' Day (docs/scale.md): 1 million orders in an hour is 278 webhooks/s sustained,
    // more with the platforms' retries and the seller API: 1,000/s with bursts of 2,000.
    throttle: { burstLimit: 2000, rateLimit: 1000 },
    logLevel: 'INFO',
    // 278 orders/s × ~24 write units per order (bench/results.json loadtest.perOrder) ≈ 6,740 WCU/s.
    warmThroughput: { readUnitsPerSecond: 30_000, writeUnitsPerSecond: 12_000 },
    snapshotTtlSeconds: 60,
    queueAgeAlarmSeconds: { orders: 300, notifications: 900 },
  },
};

/** True when `value` names a stage. */
export function isStageName(value: unknown): value is StageName {
  return typeof value === 'string' && (STAGE_NAMES as readonly string[]).includes(value);
}
