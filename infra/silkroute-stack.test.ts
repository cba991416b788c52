/**
 * Fine-grained template assertions for what matters in production: runtime, DLQs, partial batch
 * responses, visibility timeouts, encryption and TLS, retention, least privilege, no secrets in
 * the environment, routes, alarms. The handlers are a fixture here (a template does not depend on
 * what a handler does) and bundling is skipped; infra/cdk-nag.test.ts synthesizes the real ones.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnResource } from 'aws-cdk-lib';
import { ENV, FUNCTIONS, QUEUES, ROUTES, SWEEP, TABLE, type Binding, type FunctionDefinition, type FunctionName } from '#shared/definitions.ts';
import { ValidationError } from '#shared/errors.ts';
import { METRICS } from '#shared/metrics.ts';
import { buildApp, cdkJsonContext, PROJECT_ROOT } from './app.ts';
import { SilkrouteFunction } from './constructs/silkroute-function.ts';
import { DurableQueue } from './constructs/durable-queue.ts';
import type { SilkrouteStack } from './silkroute-stack.ts';
import { STAGES, type StageName } from './stages.ts';

const FIXTURE = path.join(PROJECT_ROOT, 'infra/test-fixtures/handler.ts');
const NAMES = Object.keys(FUNCTIONS) as FunctionName[];
const def = (name: FunctionName): FunctionDefinition => FUNCTIONS[name];
const QUEUE_NAMES = Object.keys(QUEUES) as (keyof typeof QUEUES)[];
const ALARM_EMAIL = 'ops@silkroute.io';

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string };
interface Synth {
  readonly stack: SilkrouteStack;
  readonly template: Template;
  readonly resources: Record<string, Resource>;
}

const outdirs: string[] = [];
function synth(stage: StageName): Synth {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `silkroute-cdk-${stage}-`));
  outdirs.push(outdir);
  const { stack } = buildApp({
    outdir,
    env: { CDK_DEFAULT_ACCOUNT: '123456789012', CDK_DEFAULT_REGION: 'eu-central-1' },
    context: cdkJsonContext({
      stage,
      sesIdentity: stage === 'prod' ? 'silkroute.io' : 'routing@silkroute.example',
      alarmEmail: stage === 'prod' ? ALARM_EMAIL : '',
      // No esbuild here: the asset is a placeholder, every property of the function is real.
      'aws:cdk:bundling-stacks': [],
    }),
    entries: Object.fromEntries(NAMES.map((n) => [n, FIXTURE])),
  });
  const template = Template.fromStack(stack);
  return { stack, template, resources: template.toJSON().Resources as Record<string, Resource> };
}

let dev: Synth;
let prod: Synth;
beforeAll(() => {
  dev = synth('dev');
  prod = synth('prod');
});
afterAll(() => {
  for (const dir of outdirs) fs.rmSync(dir, { recursive: true, force: true });
});

const logicalId = (s: Synth, construct: { node: { defaultChild?: unknown } }): string =>
  s.stack.getLogicalId(construct.node.defaultChild as CfnResource);
const fnId = (s: Synth, name: FunctionName): string => logicalId(s, s.stack.functions[name].fn);
const queueOf = (s: Synth, name: keyof typeof QUEUES): DurableQueue =>
  name === 'orders' ? s.stack.pipeline.orders : name === 'marketplace' ? s.stack.pipeline.marketplace : s.stack.notifications.notifications;
const ofType = (s: Synth, type: string): [string, Resource][] => Object.entries(s.resources).filter(([, r]) => r.Type === type);
const arr = <T,>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

/** Every Allow statement in an identity policy (role inline policies, policies, managed policies). */
function identityStatements(s: Synth): { owner: string; statement: Record<string, any> }[] {
  const out: { owner: string; statement: Record<string, any> }[] = [];
  for (const [id, r] of Object.entries(s.resources)) {
    const docs =
      r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy'
        ? [r.Properties.PolicyDocument]
        : r.Type === 'AWS::IAM::Role'
          ? arr(r.Properties.Policies).map((p: any) => p.PolicyDocument)
          : [];
    for (const doc of docs) for (const statement of arr(doc.Statement) as any[]) if (statement.Effect === 'Allow') out.push({ owner: id, statement });
  }
  return out;
}

/** The statements of the policy attached to one function's role. */
function statementsOf(s: Synth, name: FunctionName): Record<string, any>[] {
  const roleId = logicalId(s, s.stack.functions[name].role);
  return ofType(s, 'AWS::IAM::Policy')
    .filter(([, r]) => arr(r.Properties.Roles).some((ref: any) => ref.Ref === roleId))
    .flatMap(([, r]) => arr(r.Properties.PolicyDocument.Statement) as Record<string, any>[]);
}
const actionsOf = (s: Synth, name: FunctionName): string[] => statementsOf(s, name).flatMap((st) => arr(st.Action));

describe.each(['dev', 'prod'] as const)('the %s stack', (stageName) => {
  const s = (): Synth => (stageName === 'dev' ? dev : prod);
  const stage = STAGES[stageName];

  describe('functions', () => {
    it.each(NAMES)('%s runs Node.js 24 on arm64 with memory and timeout from FUNCTIONS', (name) => {
      const props = s().resources[fnId(s(), name)]!.Properties;
      expect(props.Runtime).toBe('nodejs24.x');
      expect(props.Architectures).toEqual(['arm64']);
      expect(props.MemorySize).toBe(FUNCTIONS[name].memoryMb);
      expect(props.Timeout).toBe(FUNCTIONS[name].timeoutSeconds);
      expect(props.TracingConfig).toEqual({ Mode: 'Active' });
      expect(props.Environment.Variables.NODE_OPTIONS).toContain('--enable-source-maps');
    });

    it.each(NAMES)('%s logs JSON to its own log group kept for the stage retention', (name) => {
      const props = s().resources[fnId(s(), name)]!.Properties;
      const groupId = logicalId(s(), s().stack.functions[name].logGroup);
      expect(props.LoggingConfig).toMatchObject({ LogFormat: 'JSON', LogGroup: { Ref: groupId } });
      expect(s().resources[groupId]!.Properties.RetentionInDays).toBe(stage.logRetention);
      expect(s().resources[groupId]!.DeletionPolicy).toBe(stageName === 'prod' ? 'Retain' : 'Delete');
    });

    it('use no AWS managed policy (log writes are granted on the function\'s own log group)', () => {
      for (const [, role] of ofType(s(), 'AWS::IAM::Role')) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      for (const name of NAMES) {
        const logs = statementsOf(s(), name).find((st) => arr(st.Action).includes('logs:PutLogEvents'));
        expect(logs?.Resource).toEqual({ 'Fn::GetAtt': [logicalId(s(), s().stack.functions[name].logGroup), 'Arn'] });
      }
    });
  });

  describe('queues', () => {
    it.each(QUEUE_NAMES)('%s has its dead-letter queue with maxReceiveCount, visibility and retention from QUEUES', (name) => {
      const q = queueOf(s(), name);
      const props = s().resources[logicalId(s(), q.queue)]!.Properties;
      expect(props.RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(s(), q.deadLetterQueue), 'Arn'] },
        maxReceiveCount: QUEUES[name].maxReceiveCount,
      });
      expect(props.VisibilityTimeout).toBe(QUEUES[name].visibilityTimeoutSeconds);
      expect(props.MessageRetentionPeriod).toBe(QUEUES[name].retentionDays * 86_400);
      // A dead letter keeps its first enqueue time: the DLQ must keep messages at least as long.
      expect(s().resources[logicalId(s(), q.deadLetterQueue)]!.Properties.MessageRetentionPeriod).toBeGreaterThanOrEqual(props.MessageRetentionPeriod);
    });

    it('are all encrypted at rest and refuse requests without TLS', () => {
      const queues = ofType(s(), 'AWS::SQS::Queue');
      expect(queues).toHaveLength(QUEUE_NAMES.length * 2);
      for (const [id, q] of queues) {
        expect(q.Properties.SqsManagedSseEnabled ?? q.Properties.KmsMasterKeyId).toBeTruthy();
        const policies = ofType(s(), 'AWS::SQS::QueuePolicy').filter(([, p]) => arr(p.Properties.Queues).some((r: any) => r.Ref === id));
        const denies = policies.flatMap(([, p]) => arr(p.Properties.PolicyDocument.Statement) as any[]);
        expect(denies).toContainEqual(
          expect.objectContaining({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        );
      }
    });

    it.each(NAMES.filter((n) => def(n).sqs !== undefined))(
      '%s consumes its queue with partial batch responses, batch size and window from FUNCTIONS',
      (name) => {
        const sqs = def(name).sqs!;
        const mappings = ofType(s(), 'AWS::Lambda::EventSourceMapping').filter(([, m]) => m.Properties.FunctionName.Ref === fnId(s(), name));
        expect(mappings).toHaveLength(1);
        const m = mappings[0]![1].Properties;
        expect(m.EventSourceArn).toEqual({ 'Fn::GetAtt': [logicalId(s(), queueOf(s(), sqs.queue).queue), 'Arn'] });
        expect(m.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
        expect(m.BatchSize).toBe(sqs.batchSize);
        expect(m.MaximumBatchingWindowInSeconds).toBe(sqs.maxBatchingWindowSeconds);
        expect(m.ScalingConfig?.MaximumConcurrency).toBe(sqs.maxConcurrency);
      },
    );

    it('lets SP-API\'s notifications account send to the marketplace queue and read its attributes, and no one else', () => {
      const policies = ofType(s(), 'AWS::SQS::QueuePolicy').filter(([, r]) =>
        arr(r.Properties.Queues).some((q: any) => JSON.stringify(q).includes(logicalId(s(), queueOf(s(), 'marketplace').queue))),
      );
      const allows = policies.flatMap(([, r]) => arr(r.Properties.PolicyDocument.Statement)).filter((st: any) => st.Effect === 'Allow');
      expect(allows).toHaveLength(1);
      expect(allows[0]).toMatchObject({
        Principal: { AWS: 'arn:aws:iam::437568002678:root' },
        Resource: { 'Fn::GetAtt': [logicalId(s(), queueOf(s(), 'marketplace').queue), 'Arn'] },
      });
      expect([...arr(allows[0].Action)].sort()).toEqual(['sqs:GetQueueAttributes', 'sqs:SendMessage']);
    });

    it('keep every consumed message invisible for at least 6 × its consumer\'s timeout', () => {
      const mappings = ofType(s(), 'AWS::Lambda::EventSourceMapping');
      expect(mappings.length).toBe(NAMES.filter((n) => def(n).sqs !== undefined).length);
      for (const [, m] of mappings) {
        const fnTimeout = s().resources[m.Properties.FunctionName.Ref]!.Properties.Timeout as number;
        const queueId = m.Properties.EventSourceArn['Fn::GetAtt'][0] as string;
        expect(s().resources[queueId]!.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * fnTimeout);
      }
    });
  });

  describe('table', () => {
    it('has the keys, index and TTL of TABLE, on-demand, encrypted, with point-in-time recovery', () => {
      const props = s().resources[logicalId(s(), s().stack.data.table)]!.Properties;
      expect(props.KeySchema).toEqual([
        { AttributeName: TABLE.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: TABLE.sortKey.name, KeyType: 'RANGE' },
      ]);
      expect(
        props.GlobalSecondaryIndexes.map((g: any) => [g.IndexName, g.KeySchema.map((k: any) => k.AttributeName), g.Projection.ProjectionType]),
      ).toEqual(TABLE.globalSecondaryIndexes.map((g) => [g.indexName, [g.partitionKey.name, g.sortKey.name], g.projection]));
      expect(props.TimeToLiveSpecification).toEqual({ AttributeName: TABLE.timeToLiveAttribute, Enabled: true });
      expect(props.BillingMode).toBe('PAY_PER_REQUEST');
      expect(props.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
      expect(props.SSESpecification).toMatchObject({ SSEEnabled: true });
    });

    it(stageName === 'prod' ? 'is pre-warmed for the Singles\' Day peak (docs/scale.md)' : 'keeps AWS\'s default warm throughput', () => {
      const props = s().resources[logicalId(s(), s().stack.data.table)]!.Properties;
      const warm = STAGES[stageName].warmThroughput;
      if (warm === undefined) expect(props.WarmThroughput).toBeUndefined();
      else {
        expect(props.WarmThroughput).toEqual({ ReadUnitsPerSecond: warm.readUnitsPerSecond, WriteUnitsPerSecond: warm.writeUnitsPerSecond });
        // 278 orders/s at the measured ~25 write units each.
        expect(warm.writeUnitsPerSecond).toBeGreaterThanOrEqual(278 * 25);
      }
    });

    it(stageName === 'prod' ? 'is retained and protected from deletion' : 'is deleted with the stack', () => {
      const table = s().resources[logicalId(s(), s().stack.data.table)]!;
      expect(table.DeletionPolicy).toBe(stageName === 'prod' ? 'Retain' : 'Delete');
      expect(table.UpdateReplacePolicy).toBe(stageName === 'prod' ? 'Retain' : 'Delete');
      expect(table.Properties.DeletionProtectionEnabled).toBe(stageName === 'prod');
    });
  });

  describe('least privilege', () => {
    it('has no identity policy statement with a wildcard action (* or service:*)', () => {
      const statements = identityStatements(s());
      expect(statements.length).toBeGreaterThan(NAMES.length);
      for (const { owner, statement } of statements) {
        for (const action of arr(statement.Action) as string[]) {
          expect({ owner, action, wildcard: action === '*' || action.endsWith(':*') }).toEqual({ owner, action, wildcard: false });
        }
      }
    });

    const has = (name: FunctionName, b: Binding): boolean => def(name).bindings.includes(b);

    it.each(NAMES)('%s gets exactly the grants its FUNCTIONS bindings name', (name) => {
      const actions = actionsOf(s(), name);
      const granted = new Set(actions.filter((a) => a.startsWith('dynamodb:')).map((a) => a.slice('dynamodb:'.length)));
      expect(granted).toEqual(new Set(def(name).tableActions ?? []));
      if (has(name, 'table:read')) expect(granted.has('PutItem') || granted.has('UpdateItem') || granted.has('DeleteItem')).toBe(false);
      expect(actions.includes('secretsmanager:GetSecretValue')).toBe(has(name, 'secrets:read') || has(name, 'links:sign'));
      expect(actions.includes('ses:SendEmail')).toBe(has(name, 'ses:send'));
      expect(actions.filter((a) => a.startsWith('ses:'))).not.toContain('ses:SendRawEmail');
      const sendTargets = statementsOf(s(), name)
        .filter((st) => arr(st.Action).includes('sqs:SendMessage'))
        // CDK merges statements with the same actions: one may name several queues.
        .flatMap((st) => arr(st.Resource).map((r: any) => r['Fn::GetAtt'][0]));
      const expected = QUEUE_NAMES.filter((q) => has(name, `${q}:send` as Binding)).map((q) => logicalId(s(), queueOf(s(), q).queue));
      expect(sendTargets.sort()).toEqual(expected.sort());
    });

    it.each(NAMES)('%s is granted exactly the actions it calls, and nothing else', (name) => {
      const expected = new Set<string>([
        // Its own log group, and X-Ray for active tracing (added by Lambda's construct).
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'xray:PutTraceSegments',
        'xray:PutTelemetryRecords',
        ...(def(name).tableActions ?? []).map((a) => `dynamodb:${a}`),
      ]);
      if (QUEUE_NAMES.some((q) => has(name, `${q}:send` as Binding))) expected.add('sqs:SendMessage');
      if (has(name, 'ses:send')) expected.add('ses:SendEmail');
      if (has(name, 'secrets:read') || has(name, 'links:sign')) expected.add('secretsmanager:GetSecretValue');
      // What SqsEventSource grants the role for the event source mapping that polls on its behalf.
      if (def(name).sqs !== undefined) {
        for (const a of ['ReceiveMessage', 'DeleteMessage', 'ChangeMessageVisibility', 'GetQueueAttributes', 'GetQueueUrl']) expected.add(`sqs:${a}`);
      }
      expect(new Set(actionsOf(s(), name))).toEqual(expected);
    });

    it.each(NAMES)('%s has the environment its bindings imply, and nothing that looks like a secret', (name) => {
      const vars = s().resources[fnId(s(), name)]!.Properties.Environment.Variables as Record<string, unknown>;
      const expected = new Set<string>(['NODE_OPTIONS', 'POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_METRICS_NAMESPACE', ENV.snapshotTtlSeconds]);
      if (has(name, 'table:read') || has(name, 'table:write')) expected.add(ENV.tableName);
      if (has(name, 'orders:send')) expected.add(ENV.ordersQueueUrl);
      if (has(name, 'notifications:send')) expected.add(ENV.notificationsQueueUrl);
      if (has(name, 'ses:send')) expected.add(ENV.emailFrom);
      if (has(name, 'secrets:read')) expected.add(ENV.secretsPrefix);
      if (has(name, 'links:sign')) {
        expected.add(ENV.actionLinkSigningName);
        expected.add(ENV.publicApiUrl);
      }
      // Sending to the marketplace queue, or delaying its own messages there (a throttled platform API).
      if (has(name, 'marketplace:send') || def(name).sqs?.changesVisibility === true) expected.add(ENV.marketplaceQueueUrl);
      expect(new Set(Object.keys(vars))).toEqual(expected);
      if (has(name, 'links:sign')) expect(vars[ENV.actionLinkSigningName]).toBe(`silkroute/${stageName}/action-links`);
      for (const key of Object.keys(vars)) {
        if (key === ENV.secretsPrefix) continue;
        expect(key).not.toMatch(/secret|password|token|key/i);
      }
      if (ENV.secretsPrefix in vars) expect(vars[ENV.secretsPrefix]).toBe(`silkroute/${stageName}/webhooks/`);
      for (const value of Object.values(vars)) if (typeof value === 'string') expect(value).not.toMatch(/^(whsec_|shpss_|sk_)/);
    });

    it('reads webhook secrets only under this stage\'s prefix, and puts no secret in the template', () => {
      const grants = statementsOf(s(), 'webhooks').filter((st) => arr(st.Action).includes('secretsmanager:GetSecretValue'));
      expect(grants).toHaveLength(1);
      expect(JSON.stringify(grants[0]!.Resource)).toMatch(new RegExp(`:secret:silkroute/${stageName}/webhooks/\\*"`));
      expect(ofType(s(), 'AWS::SecretsManager::Secret')).toEqual([]);
    });

    it('lets the functions that sign or check one-click links read that one secret, and no webhook secret', () => {
      for (const name of NAMES.filter((n) => has(n, 'links:sign'))) {
        const grants = statementsOf(s(), name).filter((st) => arr(st.Action).includes('secretsmanager:GetSecretValue'));
        expect(grants).toHaveLength(1);
        expect(JSON.stringify(grants[0]!.Resource)).toMatch(new RegExp(`:secret:silkroute/${stageName}/action-links-\\?\\?\\?\\?\\?\\?"`));
        expect(JSON.stringify(grants[0]!.Resource)).not.toContain('webhooks');
      }
      // The api verifies reroute links (/actions/{token}) and the email function signs them (ADR 0041).
      expect(NAMES.filter((n) => has(n, 'links:sign'))).toEqual(['api', 'email', 'planning', 'planEmail']);
    });

    it('lets the planning function book a lot (Put) and its capacity (Update), and delete nothing', () => {
      const actions = actionsOf(s(), 'planning').filter((a) => a.startsWith('dynamodb:'));
      expect(actions.filter((a) => ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'].includes(a)).sort()).toEqual(['dynamodb:PutItem', 'dynamodb:UpdateItem']);
    });

    it('lets the email function send only as the configured SES identity', () => {
      const [identityId, identity] = ofType(s(), 'AWS::SES::EmailIdentity')[0]!;
      expect(identity.Properties.EmailIdentity).toBe(stageName === 'prod' ? 'silkroute.io' : 'routing@silkroute.example');
      const ses = statementsOf(s(), 'email').filter((st) => arr(st.Action).includes('ses:SendEmail'));
      expect(ses).toHaveLength(1);
      const parts = ses[0]!.Resource['Fn::Join'][1] as unknown[];
      expect(parts.at(-2)).toMatch(/:ses:eu-central-1:123456789012:identity\/$/);
      expect(parts.at(-1)).toEqual({ Ref: identityId });
    });
  });

  it(stageName === 'prod' ? 'outputs the DKIM records of the domain identity by name' : 'has no DKIM outputs for an email identity', () => {
    const outputs = Object.keys(s().template.toJSON().Outputs as Record<string, unknown>);
    expect(outputs.filter((o) => o.startsWith('Dkim'))).toEqual(stageName === 'prod' ? ['DkimRecord1', 'DkimRecord2', 'DkimRecord3'] : []);
    expect(outputs).toEqual(expect.arrayContaining(['ApiUrl', 'TableName', 'WebhookSecretsPrefix', 'AlarmTopicArn', 'DashboardName', 'EmailFrom']));
  });

  describe('schedules', () => {
    it('invokes every function with a schedule at its rate, through a role only Scheduler can assume', () => {
      const scheduled = NAMES.filter((n) => 'schedule' in FUNCTIONS[n]);
      expect(scheduled).toEqual(['sweep', 'digest', 'planEmail', 'arrivals']);
      const schedules = ofType(s(), 'AWS::Scheduler::Schedule').map(([, r]) => r.Properties);
      expect(schedules).toHaveLength(4);
      expect(schedules[0]).toMatchObject({
        ScheduleExpression: `rate(${FUNCTIONS.sweep.schedule.everyMinutes} minute)`,
        State: 'ENABLED',
        Target: { Arn: { 'Fn::GetAtt': [fnId(s(), 'sweep'), 'Arn'] } },
      });
      // The digest runs hourly: each seller's goes out in the run of its local digest hour.
      expect(schedules[1]).toMatchObject({ ScheduleExpression: 'rate(1 hour)', Target: { Arn: { 'Fn::GetAtt': [fnId(s(), 'digest'), 'Arn'] } } });
      // The plan emails run hourly: each departure's goes out in the first run after its cut-off minus the seller's hours.
      expect(schedules[2]).toMatchObject({ ScheduleExpression: 'rate(1 hour)', Target: { Arn: { 'Fn::GetAtt': [fnId(s(), 'planEmail'), 'Arn'] } } });
      // Inbound lots become stock hourly (ADR 0036).
      expect(schedules[3]).toMatchObject({ ScheduleExpression: 'rate(1 hour)', Target: { Arn: { 'Fn::GetAtt': [fnId(s(), 'arrivals'), 'Arn'] } } });
      const roleId = schedules[0]!.Target.RoleArn['Fn::GetAtt'][0] as string;
      const role = s().resources[roleId]!;
      expect(JSON.stringify(role.Properties.AssumeRolePolicyDocument)).toContain('scheduler.amazonaws.com');
      const invoke = identityStatements(s()).filter((x) => arr(x.statement.Action).includes('lambda:InvokeFunction'));
      expect(JSON.stringify(invoke.map((x) => x.statement.Resource))).not.toContain(fnId(s(), 'router'));
    });
  });

  describe('HTTP API', () => {
    it('has exactly the ROUTES, each integrated with its function, and one ANY catch-all per path so a wrong method reaches the function (405 with Allow)', () => {
      const integrations = Object.fromEntries(
        ofType(s(), 'AWS::ApiGatewayV2::Integration').map(([id, r]) => [id, r.Properties.IntegrationUri['Fn::GetAtt'][0] as string]),
      );
      const routes = ofType(s(), 'AWS::ApiGatewayV2::Route').map(([, r]) => ({
        key: r.Properties.RouteKey as string,
        fn: integrations[(r.Properties.Target['Fn::Join'][1][1] as { Ref: string }).Ref],
      }));
      expect(routes.sort((a, b) => a.key.localeCompare(b.key))).toEqual(
        [
          ...ROUTES.map((r) => ({ key: `${r.method} ${r.path}`, fn: fnId(s(), r.function) })),
          ...[...new Set(ROUTES.map((r) => r.path))].map((path) => ({ key: `ANY ${path}`, fn: fnId(s(), ROUTES.find((r) => r.path === path)!.function) })),
        ].sort((a, b) => a.key.localeCompare(b.key)),
      );
    });

    it('throttles the default stage from the stage settings and writes JSON access logs', () => {
      const stages = ofType(s(), 'AWS::ApiGatewayV2::Stage');
      expect(stages).toHaveLength(1);
      const props = stages[0]![1].Properties;
      expect(props.StageName).toBe('$default');
      expect(props.AutoDeploy).toBe(true);
      expect(props.DefaultRouteSettings).toEqual({ ThrottlingBurstLimit: stage.throttle.burstLimit, ThrottlingRateLimit: stage.throttle.rateLimit });
      // Singles' Day (docs/scale.md): 278 webhooks/s sustained must pass the production throttle.
      if (stageName === 'prod') expect(stage.throttle.rateLimit).toBeGreaterThanOrEqual(278 * 3);
      const format = JSON.parse(props.AccessLogSettings.Format as string) as Record<string, string>;
      expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status', routeKey: '$context.routeKey' });
      expect(Object.values(format).join(' ')).not.toMatch(/authorization|header/i);
      const groupId = logicalId(s(), s().stack.api.accessLogs);
      expect(props.AccessLogSettings.DestinationArn).toEqual({ 'Fn::GetAtt': [groupId, 'Arn'] });
      expect(s().resources[groupId]!.Properties.RetentionInDays).toBe(stage.logRetention);
    });
  });

  describe('monitoring', () => {
    const alarms = (): Record<string, any>[] => ofType(s(), 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    const topicId = (): string => logicalId(s(), s().stack.monitoring.topic);
    const find = (metric: string, dimension: string, ref: string): Record<string, any>[] =>
      alarms().filter((a) => a.MetricName === metric && arr(a.Dimensions).some((d: any) => d.Name === dimension && JSON.stringify(d.Value).includes(ref)));

    it('alarms when any dead-letter queue is not empty, and before its oldest message expires', () => {
      for (const name of QUEUE_NAMES) {
        const dlq = logicalId(s(), queueOf(s(), name).deadLetterQueue);
        const [notEmpty] = find('ApproximateNumberOfMessagesVisible', 'QueueName', dlq);
        expect(notEmpty).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching' });
        const [expiry] = find('ApproximateAgeOfOldestMessage', 'QueueName', dlq);
        expect(expiry?.Threshold).toBeLessThan(14 * 86_400);
      }
    });

    it('alarms on the age of the oldest message of each work queue', () => {
      for (const name of QUEUE_NAMES) {
        const [age] = find('ApproximateAgeOfOldestMessage', 'QueueName', logicalId(s(), queueOf(s(), name).queue));
        expect(age?.Threshold).toBe(stage.queueAgeAlarmSeconds[name]);
      }
    });

    it.each(NAMES)('alarms on %s errors and throttles', (name) => {
      expect(find('Errors', 'FunctionName', fnId(s(), name))).toHaveLength(1);
      expect(find('Throttles', 'FunctionName', fnId(s(), name))).toHaveLength(1);
    });

    it('alarms on the age of the oldest order still received (the outbox sweep\'s metric)', () => {
      const [alarm] = alarms().filter((a) => a.MetricName === METRICS.oldestReceivedOrderAgeSeconds);
      expect(alarm).toMatchObject({ Namespace: METRICS.namespace, Statistic: 'Maximum', Threshold: SWEEP.alarmAgeSeconds });
      expect(alarm!.AlarmActions).toEqual([{ Ref: topicId() }]);
    });

    it('alarms on API 5xx', () => {
      const apiId = logicalId(s(), s().stack.api.httpApi);
      expect(find('5xx', 'ApiId', apiId)).toEqual([expect.objectContaining({ Namespace: 'AWS/ApiGateway', Threshold: 1 })]);
    });

    it('sends every alarm (and its recovery) to the encrypted, TLS-only alarm topic', () => {
      for (const a of alarms()) {
        expect(a.AlarmActions).toEqual([{ Ref: topicId() }]);
        expect(a.OKActions).toEqual([{ Ref: topicId() }]);
      }
      expect(s().resources[topicId()]!.Properties.KmsMasterKeyId).toBeDefined();
      const topicPolicy = ofType(s(), 'AWS::SNS::TopicPolicy').flatMap(([, p]) => arr(p.Properties.PolicyDocument.Statement) as any[]);
      expect(topicPolicy).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
      const keyPolicy = s().resources[logicalId(s(), s().stack.monitoring.key)]!.Properties.KeyPolicy.Statement as any[];
      expect(keyPolicy).toContainEqual(expect.objectContaining({ Principal: { Service: 'cloudwatch.amazonaws.com' } }));
    });

    it(stageName === 'prod' ? 'subscribes the alarm email from context' : 'has no subscription without an alarm email', () => {
      const subs = ofType(s(), 'AWS::SNS::Subscription').map(([, r]) => r.Properties);
      expect(subs).toEqual(stageName === 'prod' ? [expect.objectContaining({ Protocol: 'email', Endpoint: ALARM_EMAIL, TopicArn: { Ref: topicId() } })] : []);
    });

    it('has a dashboard of the business metrics by name, plus queues and API', () => {
      const dashboards = ofType(s(), 'AWS::CloudWatch::Dashboard');
      expect(dashboards).toHaveLength(1);
      const body = JSON.stringify(dashboards[0]![1].Properties.DashboardBody);
      for (const metric of [METRICS.ordersRouted, METRICS.ordersUnroutable, METRICS.savingsVsDirectEur, METRICS.decisionLatencyMs]) {
        expect(body).toContain(`\\"${METRICS.namespace}\\",\\"${metric}\\"`);
      }
      expect(body).toContain('\\"mode\\",\\"rail-to-warehouse\\"');
      expect(body).toContain('ApproximateNumberOfMessagesVisible');
      expect(body).toContain('\\"AWS/ApiGateway\\",\\"5xx\\"');
      expect(body).toContain('\\"AWS/ApiGateway\\",\\"4xx\\"');
    });
  });
});

describe('SilkrouteFunction guards', () => {
  const stack = (): Stack => new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Guard');
  const fn = (scope: Stack, timeoutSeconds: number): SilkrouteFunction =>
    new SilkrouteFunction(scope, `Fn${timeoutSeconds}`, {
      definition: { ...FUNCTIONS.router, timeoutSeconds },
      stage: STAGES.dev,
      projectRoot: PROJECT_ROOT,
      entry: FIXTURE,
    });

  it('refuses to consume a queue whose visibility timeout is below 6 × the function timeout', () => {
    const scope = stack();
    const orders = new DurableQueue(scope, 'Orders', { name: 'orders', definition: QUEUES.orders });
    const slow = fn(scope, QUEUES.orders.visibilityTimeoutSeconds / 6 + 1);
    expect(() => slow.consume(orders)).toThrow(ValidationError);
    expect(() => fn(scope, QUEUES.orders.visibilityTimeoutSeconds / 6).consume(orders)).not.toThrow();
  });

  it('refuses to consume a queue its definition does not name', () => {
    const scope = stack();
    const notifications = new DurableQueue(scope, 'Notifications', { name: 'notifications', definition: QUEUES.notifications });
    expect(() => fn(scope, 30).consume(notifications)).toThrow(/does not consume the notifications queue/);
  });
});
