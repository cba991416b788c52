/**
 * The HTTP API: one route per ROUTES entry to its function (and an ANY per path, for the 405), a $default stage with throttling
 * from the stage settings, and JSON access logs (no headers, so no signature or API key).
 */
import { Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination, type HttpRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { catchAllRoutes, ROUTES, type FunctionName } from '#shared/definitions.ts';
import type { StageSettings } from '../stages.ts';
import type { SilkrouteFunction } from './silkroute-function.ts';

export interface ApiProps {
  readonly stage: StageSettings;
  readonly functions: Record<FunctionName, SilkrouteFunction>;
}

/** Access log fields: enough to trace a request to its Lambda logs, nothing a caller sent in headers. */
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationStatus: '$context.integrationStatus',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  errorMessage: '$context.error.message',
};

/** Why a route has no API Gateway authorizer: each one authenticates in its handler. */
function authorizationReason(path: string): string {
  if (path.startsWith('/webhooks/')) {
    return 'Webhooks are authenticated by an HMAC signature over the exact raw body (Shopify, WooCommerce, Standard Webhooks), verified in the handler against per-shop secrets in Secrets Manager; the platforms cannot send a credential an API Gateway authorizer understands.';
  }
  if (path === '/v1/plans/accept-link') {
    return 'The one-click accept link of the plan email carries an HMAC-SHA256 token (seller, departure, expiry) that the handler verifies before anything in it is trusted; the GET only shows a confirmation, and the POST books once (ADR 0042).';
  }
  if (path.startsWith('/actions/')) {
    return 'One-click action links from email carry their own credential: an HMAC-SHA256 signature over the action, order, decision version and expiry, verified in the handler against a key in Secrets Manager; the GET page changes nothing and the POST acts once (docs/decisions/0041).';
  }
  if (path === '/openapi.json') {
    return 'The OpenAPI document is public by design: it describes the API and holds no data.';
  }
  return 'The /v1 routes take a Bearer API key that the handler checks against hashed keys in DynamoDB and maps to exactly one seller (a key never reads another seller\'s orders); a Lambda authorizer would repeat that lookup.';
}

export class Api extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  readonly routes: HttpRoute[] = [];

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.stage.logRetention,
      removalPolicy: props.stage.removalPolicy,
    });
    this.httpApi = new HttpApi(this, 'HttpApi', {
      apiName: `silkroute-${props.stage.name}`,
      description: 'Silkroute: marketplace webhooks in, quotes and routing decisions out',
      // The stage is created below so throttling and access logs are part of it from the start.
      createDefaultStage: false,
    });
    this.stage = this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { burstLimit: props.stage.throttle.burstLimit, rateLimit: props.stage.throttle.rateLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });

    const integrations = new Map<FunctionName, HttpLambdaIntegration>();
    const integrationOf = (fn: FunctionName): HttpLambdaIntegration => {
      let integration = integrations.get(fn);
      if (integration === undefined) {
        integration = new HttpLambdaIntegration(`${props.functions[fn].definition.id}Integration`, props.functions[fn].fn);
        integrations.set(fn, integration);
      }
      return integration;
    };
    // A declared method wins over ANY on the same path; ANY hands every other method to the
    // function, which answers 405 with Allow (API Gateway itself would say a bare 404).
    const routes = [...ROUTES.map((r) => ({ path: r.path, method: HttpMethod[r.method], function: r.function })), ...catchAllRoutes().map((r) => ({ ...r, method: HttpMethod.ANY }))];
    for (const route of routes) {
      const [added] = this.httpApi.addRoutes({ path: route.path, methods: [route.method], integration: integrationOf(route.function) });
      if (added === undefined) continue;
      Validations.of(added).acknowledge({ id: 'AwsSolutions-APIG4', reason: authorizationReason(route.path) });
      this.routes.push(added);
    }
  }

  /** The invoke URL of the $default stage. */
  get url(): string {
    return this.stage.url;
  }
}
