/**
 * What DevOps watches: an encrypted SNS topic for alarms (email subscription when configured),
 * alarms on dead letters, queue age, function errors and throttles, API 5xx, and a dashboard of
 * the business metrics the worker emits (METRICS) next to the plumbing.
 */
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  SingleValueWidget,
  TextWidget,
  TreatMissingData,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { FUNCTIONS, SWEEP, type FunctionName } from '#shared/definitions.ts';
import { METRICS } from '#shared/metrics.ts';
import { Mode } from '#routing/decision.ts';
import type { StageSettings } from '../stages.ts';
import type { DurableQueue } from './durable-queue.ts';
import type { SilkrouteFunction } from './silkroute-function.ts';

export interface MonitoringProps {
  readonly stage: StageSettings;
  readonly queues: readonly DurableQueue[];
  readonly functions: Record<FunctionName, SilkrouteFunction>;
  readonly httpApi: HttpApi;
  /** Subscribed to the alarm topic when given (it must confirm the subscription email). */
  readonly alarmEmail: string | undefined;
}

/** Alert on a dead letter this long before SQS would delete it (at the DLQ's 14-day retention). */
const DEAD_LETTER_EXPIRY_WARNING_DAYS = 4;
const DEAD_LETTER_RETENTION_DAYS = 14;
const RUNBOOK = 'docs/operations.md';

export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly key: Key;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;
  private readonly prefix: string;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.prefix = `silkroute-${props.stage.name}`;

    // A customer managed key, because CloudWatch alarms cannot publish to a topic encrypted with
    // the AWS-managed aws/sns key (its policy cannot be changed to let CloudWatch use it).
    this.key = new Key(this, 'AlarmTopicKey', {
      description: `Silkroute ${props.stage.name}: encrypts the alarm topic`,
      enableKeyRotation: true,
      removalPolicy: props.stage.removalPolicy,
    });
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublishToEncryptedTopic',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    this.topic = new Topic(this, 'AlarmTopic', {
      displayName: `Silkroute ${props.stage.name} alarms`,
      masterKey: this.key,
      enforceSSL: true,
    });
    if (props.alarmEmail !== undefined) {
      const subscription = this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
      Validations.of(subscription).acknowledge({
        id: 'Serverless-SNSRedrivePolicy',
        reason:
          'An email subscription that cannot be delivered has no consumer to redrive to; the alarm state and its history in CloudWatch remain the record, and the dashboard shows every alarm.',
      });
    }
    this.action = new SnsAction(this.topic);

    for (const q of props.queues) this.queueAlarms(q, props.stage);
    for (const name of Object.keys(FUNCTIONS) as FunctionName[]) this.functionAlarms(props.functions[name]);
    this.alarm('OldestReceivedOrder', {
      metric: new Metric({
        namespace: METRICS.namespace,
        metricName: METRICS.oldestReceivedOrderAgeSeconds,
        dimensionsMap: { service: METRICS.service },
        statistic: 'Maximum',
        period: Duration.minutes(5),
      }),
      threshold: SWEEP.alarmAgeSeconds,
      // Two sweeps in a row: one slow backlog drained by the next run is not an incident.
      evaluationPeriods: 2,
      description: `An order has waited over ${SWEEP.alarmAgeSeconds} s in status received although the sweep re-queues it every ${SWEEP.olderThanSeconds} s: the router is failing or the queue is unreachable (${RUNBOOK}#stuck-orders).`,
    });
    this.alarm('Api5xx', {
      metric: props.httpApi.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      description: `The HTTP API answered 5xx. Webhooks must never see a 5xx for a fault we can retry (WooCommerce disables a hook after 5). See ${RUNBOOK}#api-5xx.`,
    });

    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: this.prefix });
    this.buildDashboard(props);
  }

  private alarm(
    id: string,
    spec: { metric: IMetric; threshold: number; description: string; evaluationPeriods?: number },
  ): Alarm {
    const alarm = new Alarm(this, id, {
      alarmName: `${this.prefix}-${id}`,
      alarmDescription: spec.description,
      metric: spec.metric,
      threshold: spec.threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: spec.evaluationPeriods ?? 1,
      // No data means no messages, no invocations or no requests: nothing is wrong.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarms.push(alarm);
    return alarm;
  }

  private queueAlarms(q: DurableQueue, stage: StageSettings): void {
    const label = q.definition.id;
    this.alarm(`${q.definition.deadLetterQueueId}NotEmpty`, {
      metric: q.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      threshold: 1,
      description: `${label}: a message failed ${q.definition.maxReceiveCount} times and is in ${q.definition.deadLetterQueueId}. Fix the cause, then redrive (${RUNBOOK}#dead-letter-redrive).`,
    });
    this.alarm(`${q.definition.deadLetterQueueId}NearExpiry`, {
      metric: q.deadLetterQueue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: (DEAD_LETTER_RETENTION_DAYS - DEAD_LETTER_EXPIRY_WARNING_DAYS) * 86_400,
      description: `${q.definition.deadLetterQueueId}: the oldest dead letter is ${DEAD_LETTER_RETENTION_DAYS - DEAD_LETTER_EXPIRY_WARNING_DAYS} days old; SQS deletes it at ${DEAD_LETTER_RETENTION_DAYS}. Redrive or export it now (${RUNBOOK}#dead-letter-redrive).`,
    });
    this.alarm(`${label}OldestMessage`, {
      metric: q.queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1), statistic: 'Maximum' }),
      threshold: stage.queueAgeAlarmSeconds[q.name],
      // Three minutes in a row: a single slow batch is not an incident.
      evaluationPeriods: 3,
      description: `${label}: messages wait longer than ${stage.queueAgeAlarmSeconds[q.name]} s; the consumer is failing, throttled or too slow (${RUNBOOK}#queue-backlog).`,
    });
  }

  private functionAlarms(f: SilkrouteFunction): void {
    const id = f.definition.id;
    this.alarm(`${id}Errors`, {
      metric: f.fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      description: `${id} (${f.definition.entry}) threw or timed out. Its log group holds the stack trace (${RUNBOOK}#function-errors).`,
    });
    this.alarm(`${id}Throttles`, {
      metric: f.fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      description: `${id} was throttled: the account's concurrency is exhausted or a cap is too low (${RUNBOOK}#function-throttles).`,
    });
  }

  private business(metricName: string, statistic: string, label: string, dimensions: Record<string, string> = {}): Metric {
    // Powertools Metrics adds the `service` dimension to every metric it emits.
    return new Metric({
      namespace: METRICS.namespace,
      metricName,
      dimensionsMap: { service: METRICS.service, ...dimensions },
      statistic,
      label,
      period: Duration.minutes(5),
    });
  }

  private buildDashboard(props: MonitoringProps): void {
    const routedByMode = Mode.options.map((mode) => this.business(METRICS.ordersRouted, 'Sum', mode, { mode }));
    const routedTotal = new MathExpression({
      expression: routedByMode.map((_, i) => `m${i}`).join(' + '),
      usingMetrics: Object.fromEntries(routedByMode.map((m, i) => [`m${i}`, m])),
      label: 'routed',
      period: Duration.minutes(5),
    });
    const functions = (Object.keys(FUNCTIONS) as FunctionName[]).map((n) => props.functions[n]);
    const api = props.httpApi;

    this.dashboard.addWidgets(
      new TextWidget({
        markdown: `# Silkroute ${props.stage.name}\nOrders routed, what they saved, and the pipeline behind them. Runbooks: \`${RUNBOOK}\`.`,
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'Orders routed by mode', left: routedByMode, stacked: true, width: 8 }),
      new GraphWidget({
        title: 'Unroutable orders',
        left: [this.business(METRICS.ordersUnroutable, 'Sum', 'unroutable')],
        right: [routedTotal],
        width: 8,
      }),
      new GraphWidget({
        title: 'Savings vs cheapest direct parcel (EUR)',
        left: [this.business(METRICS.savingsVsDirectEur, 'Sum', 'saved')],
        width: 8,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Decision latency (ms, receipt → committed decision)',
        left: ['p50', 'p90', 'p99'].map((p) => this.business(METRICS.decisionLatencyMs, p, p)),
        width: 12,
      }),
      new GraphWidget({
        title: 'Reroutes on contention (lost stock or rail capacity to a concurrent order)',
        left: [this.business(METRICS.reroutesOnContention, 'Sum', 'reroutes')],
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Queue depth (visible messages)',
        left: props.queues.flatMap((q) => [
          q.queue.metricApproximateNumberOfMessagesVisible({ label: q.definition.id, period: Duration.minutes(1), statistic: 'Maximum' }),
          q.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ label: q.definition.deadLetterQueueId, period: Duration.minutes(1), statistic: 'Maximum' }),
        ]),
        width: 12,
      }),
      new GraphWidget({
        title: 'Oldest message (s)',
        left: props.queues.map((q) =>
          q.queue.metricApproximateAgeOfOldestMessage({ label: q.definition.id, period: Duration.minutes(1), statistic: 'Maximum' }),
        ),
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'API requests and errors',
        left: [
          api.metricCount({ label: 'requests', period: Duration.minutes(5), statistic: 'Sum' }),
          api.metricClientError({ label: '4xx', period: Duration.minutes(5), statistic: 'Sum' }),
          api.metricServerError({ label: '5xx', period: Duration.minutes(5), statistic: 'Sum' }),
        ],
        width: 12,
      }),
      new GraphWidget({
        title: 'API latency (ms)',
        left: ['p50', 'p99'].map((p) => api.metricLatency({ label: p, statistic: p, period: Duration.minutes(5) })),
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Function errors and throttles',
        left: functions.map((f) => f.fn.metricErrors({ label: `${f.definition.id} errors`, period: Duration.minutes(5), statistic: 'Sum' })),
        right: functions.map((f) => f.fn.metricThrottles({ label: `${f.definition.id} throttles`, period: Duration.minutes(5), statistic: 'Sum' })),
        width: 12,
      }),
      new GraphWidget({
        title: 'Function duration p99 (ms)',
        left: functions.map((f) => f.fn.metricDuration({ label: f.definition.id, statistic: 'p99', period: Duration.minutes(5) })),
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new SingleValueWidget({
        title: 'Last 24 h',
        metrics: [
          this.business(METRICS.ordersUnroutable, 'Sum', 'unroutable'),
          this.business(METRICS.savingsVsDirectEur, 'Sum', 'saved EUR'),
        ],
        setPeriodToTimeRange: true,
        width: 8,
      }),
      new AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 16 }),
    );
  }
}
