/**
 * Every function with a `schedule` in FUNCTIONS is invoked by EventBridge Scheduler at that rate
 * (the twin runs the same definition on a timer, infra/local/scheduler.ts). Scheduler rather
 * than an EventBridge rule: it retries a failed invocation itself and its role is scoped to the
 * one function.
 */
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { FUNCTIONS, type FunctionName } from '#shared/definitions.ts';
import type { StageSettings } from '../stages.ts';
import type { SilkrouteFunction } from './silkroute-function.ts';

export interface SchedulesProps {
  readonly stage: StageSettings;
  readonly functions: Record<FunctionName, SilkrouteFunction>;
}

export class Schedules extends Construct {
  readonly schedules: Schedule[] = [];

  constructor(scope: Construct, id: string, props: SchedulesProps) {
    super(scope, id);
    for (const name of Object.keys(FUNCTIONS) as FunctionName[]) {
      const definition = FUNCTIONS[name] as (typeof FUNCTIONS)[FunctionName] & { schedule?: { everyMinutes: number } };
      if (definition.schedule === undefined) continue;
      const every = definition.schedule.everyMinutes;
      const fn = props.functions[name].fn;
      // One role per schedule, assumable by Scheduler only for this account's schedules.
      const role = new Role(this, `${definition.id}SchedulerRole`, {
        assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
          conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
        }),
        description: `Silkroute ${props.stage.name}: EventBridge Scheduler invokes ${definition.id}`,
      });
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${flattenCfnReference(Stack.of(this).resolve(fn.functionArn))}:*]`,
        reason: `lambda:InvokeFunction on ${definition.id} only; the :* form is the grant CDK adds for the function's versions and aliases, and no other function is reachable.`,
      });
      this.schedules.push(
        new Schedule(this, definition.id, {
          scheduleName: `silkroute-${props.stage.name}-${name}`,
          description: `Silkroute ${props.stage.name}: ${definition.entry} every ${every} min`,
          schedule: ScheduleExpression.rate(Duration.minutes(every)),
          target: new LambdaInvoke(fn, {
            role,
            // A run that failed is superseded by the next one: retry within the interval only.
            retryAttempts: 2,
            maxEventAge: Duration.minutes(every),
          }),
        }),
      );
    }
  }
}
