/**
 * The whole service as one stack. Wiring happens here and only here: every function from
 * FUNCTIONS, its bindings (grant + environment in one call), its queue if it consumes one, every
 * route from ROUTES, and the alarms that watch all of it.
 */
import { CfnOutput, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ENV, FUNCTIONS, type Binding, type FunctionName } from '#shared/definitions.ts';
import { SilkrouteError } from '#shared/errors.ts';
import type { SesSettings } from './app-config.ts';
import { Api } from './constructs/api.ts';
import { Data } from './constructs/data.ts';
import type { DurableQueue } from './constructs/durable-queue.ts';
import { Monitoring } from './constructs/monitoring.ts';
import { Notifications } from './constructs/notifications.ts';
import { OrderPipeline } from './constructs/order-pipeline.ts';
import { Schedules } from './constructs/schedules.ts';
import { SilkrouteFunction } from './constructs/silkroute-function.ts';
import type { StageSettings } from './stages.ts';

export interface SilkrouteStackProps extends StackProps {
  readonly stage: StageSettings;
  readonly ses: SesSettings;
  readonly alarmEmail: string | undefined;
  /** Repository root (package-lock.json, the "imports" map, and FUNCTIONS[x].entry are relative to it). */
  readonly projectRoot: string;
  /** Absolute handler paths that replace FUNCTIONS[x].entry (tests point these at a fixture). */
  readonly entries?: Partial<Record<FunctionName, string>>;
}

const FUNCTION_NAMES = Object.keys(FUNCTIONS) as FunctionName[];

/** The Secrets Manager name of a stage's one-click link signing key (created by the operator, ADR 0042). */
export function actionLinkSecretName(stage: string): string {
  return `silkroute/${stage}/action-links`;
}

export class SilkrouteStack extends Stack {
  readonly data: Data;
  readonly pipeline: OrderPipeline;
  readonly notifications: Notifications;
  readonly functions: Record<FunctionName, SilkrouteFunction>;
  readonly api: Api;
  readonly monitoring: Monitoring;
  readonly schedules: Schedules;
  private readonly stageName: string;

  constructor(scope: Construct, id: string, props: SilkrouteStackProps) {
    super(scope, id, props);
    const { stage } = props;
    this.stageName = stage.name;
    Tags.of(this).add('project', 'silkroute');
    Tags.of(this).add('stage', stage.name);

    this.data = new Data(this, 'Data', { stage });
    this.pipeline = new OrderPipeline(this, 'OrderPipeline', { stage });
    this.notifications = new Notifications(this, 'Notifications', { stage, ses: props.ses });
    const queues: Record<DurableQueue['name'], DurableQueue> = {
      orders: this.pipeline.orders,
      notifications: this.notifications.notifications,
    };

    this.functions = Object.fromEntries(
      FUNCTION_NAMES.map((name) => {
        const definition = FUNCTIONS[name];
        const entry = props.entries?.[name];
        const fn = new SilkrouteFunction(this, definition.id, {
          definition,
          stage,
          projectRoot: props.projectRoot,
          ...(entry === undefined ? {} : { entry }),
        });
        return [name, fn];
      }),
    ) as Record<FunctionName, SilkrouteFunction>;

    for (const name of FUNCTION_NAMES) {
      const fn = this.functions[name];
      for (const binding of fn.definition.bindings) this.bind(fn, binding, queues);
      const sqs = fn.definition.sqs;
      if (sqs !== undefined) fn.consume(queues[sqs.queue]);
    }

    this.schedules = new Schedules(this, 'Schedules', { stage, functions: this.functions });
    this.api = new Api(this, 'Api', { stage, functions: this.functions });
    // Links in emails point at the API (ADR 0042); known once the API exists.
    for (const name of FUNCTION_NAMES) {
      if ((this.functions[name].definition.bindings as readonly Binding[]).includes('links:sign')) this.functions[name].fn.addEnvironment(ENV.publicApiUrl, this.api.url);
    }
    this.monitoring = new Monitoring(this, 'Monitoring', {
      stage,
      queues: Object.values(queues),
      functions: this.functions,
      httpApi: this.api.httpApi,
      alarmEmail: props.alarmEmail,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'TableName', { value: this.data.table.tableName });
    for (const q of Object.values(queues)) {
      new CfnOutput(this, `${q.definition.id}Url`, { value: q.queue.queueUrl });
      new CfnOutput(this, `${q.definition.deadLetterQueueId}Url`, { value: q.deadLetterQueue.queueUrl });
    }
    new CfnOutput(this, 'WebhookSecretsPrefix', {
      value: this.pipeline.secretsPrefix,
      description: 'Create webhook secrets as <prefix><platform>/<shop>',
    });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.topic.topicArn });
    new CfnOutput(this, 'DashboardName', { value: this.monitoring.dashboard.dashboardName });
    new CfnOutput(this, 'EmailFrom', { value: props.ses.from });
    new CfnOutput(this, 'ActionLinkSigningName', {
      value: actionLinkSecretName(stage.name),
      description: 'Create this secret (a random string of at least 32 characters) before the first plan email',
    });
  }

  /** Applies one FUNCTIONS binding: the only place a Binding turns into a grant. */
  private bind(fn: SilkrouteFunction, binding: Binding, queues: Record<DurableQueue['name'], DurableQueue>): void {
    switch (binding) {
      case 'table:read':
        fn.bindTable(this.data.table, 'read');
        return;
      case 'table:write':
        fn.bindTable(this.data.table, 'write');
        return;
      case 'orders:send':
        fn.bindQueue(queues.orders, 'send');
        return;
      case 'notifications:send':
        fn.bindQueue(queues.notifications, 'send');
        return;
      case 'ses:send':
        fn.bindSes(this.notifications.sender);
        return;
      case 'secrets:read':
        fn.bindSecrets(this.pipeline.secretsPrefix);
        return;
      case 'links:sign':
        fn.bindLinkSecret(actionLinkSecretName(this.stageName));
        return;
      default: {
        const unknown: never = binding;
        throw new SilkrouteError(`unhandled binding ${String(unknown)}`);
      }
    }
  }
}
