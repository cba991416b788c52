/**
 * Test and sample support: build API Gateway v2 events and sign deliveries the way each platform
 * does. Used by tests and by events/apigw/generate.ts; never imported by a handler.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { hmacBase64, standardKey } from './signature.ts';

/** Shopify's and WooCommerce's signature: base64 HMAC-SHA256 of the raw body. */
export function signBody(body: string | Buffer, secret: string): string {
  return hmacBase64(secret, body);
}

/** A Standard Webhooks `webhook-signature` value (`v1,<base64>`). */
export function signStandard(id: string, timestampSeconds: number, body: string | Buffer, secret: string): string {
  return `v1,${hmacBase64(standardKey(secret), `${id}.${timestampSeconds}.`, body)}`;
}

export interface EventInput {
  readonly method?: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  /** Send the body base64-encoded, as API Gateway does for binary media types. */
  readonly base64?: boolean;
  readonly pathParameters?: Record<string, string>;
  readonly routeKey?: string;
  readonly time?: Date;
}

/** A complete API Gateway HTTP API (payload 2.0) event. Header names are kept as given. */
export function apigwEvent(input: EventInput): APIGatewayProxyEventV2 {
  const method = input.method ?? 'POST';
  const time = input.time ?? new Date('2026-11-22T08:00:00Z');
  const body = input.body === undefined ? undefined : Buffer.isBuffer(input.body) ? input.body : Buffer.from(input.body, 'utf8');
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: input.routeKey ?? `${method} ${input.path}`,
    rawPath: input.path,
    rawQueryString: '',
    headers: { host: 'api.silkroute.example', 'user-agent': 'silkroute-tests', ...(input.headers ?? {}) },
    requestContext: {
      accountId: '123456789012',
      apiId: 'silkroute',
      domainName: 'api.silkroute.example',
      domainPrefix: 'api',
      http: { method, path: input.path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'silkroute-tests' },
      requestId: 'req-0001',
      routeKey: input.routeKey ?? `${method} ${input.path}`,
      stage: '$default',
      time: time.toUTCString(),
      timeEpoch: time.getTime(),
    },
    isBase64Encoded: input.base64 === true,
  };
  if (body !== undefined) event.body = input.base64 === true ? body.toString('base64') : body.toString('utf8');
  if (input.pathParameters !== undefined) event.pathParameters = input.pathParameters;
  return event;
}
