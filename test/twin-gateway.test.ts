import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { GATEWAY_MAX_BODY_BYTES, startGateway, type Gateway } from '../infra/local/gateway.ts';

/** A raw HTTP request, so tests control header case, duplicates and exact body bytes. */
function send(
  gateway: Gateway,
  options: { method: string; path: string; headers?: [string, string][]; body?: Buffer | string },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const body = options.body === undefined ? undefined : Buffer.from(options.body);
    // A raw header list replaces Node's defaults, Host included.
    const headers: [string, string][] = [['Host', `127.0.0.1:${gateway.port}`], ...(options.headers ?? [])];
    if (body !== undefined) headers.push(['Content-Length', String(body.length)]);
    const req = request(
      { host: '127.0.0.1', port: gateway.port, method: options.method, path: options.path, headers: headers.flat() },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('local API gateway', () => {
  const seen: { event: APIGatewayProxyEventV2; context: Context }[] = [];
  let result: unknown = { statusCode: 200, body: 'ok' };
  let gateway: Gateway;
  const logged: string[] = [];

  beforeAll(async () => {
    gateway = await startGateway({
      port: 0,
      log: (line) => logged.push(line),
      routes: [
        {
          method: 'POST',
          path: '/webhooks/shopify',
          functionName: 'WebhooksFunction',
          timeoutSeconds: 5,
          handler: async (event, context) => {
            seen.push({ event, context });
            return result;
          },
        },
        {
          method: 'GET',
          path: '/v1/orders/{orderId}',
          handler: async (event, context) => {
            seen.push({ event, context });
            return result;
          },
        },
        {
          method: 'POST',
          path: '/v1/orders/{orderId}/reroute',
          handler: async () => {
            throw new Error('database exploded at /secret/path.ts:42');
          },
        },
        { method: 'GET', path: '/files/{proxy+}', handler: async (event) => event.pathParameters },
      ],
    });
  });
  afterAll(async () => {
    await gateway.stop();
  });

  const last = () => seen[seen.length - 1]!;

  it('passes a payload 2.0 event with lowercased, comma-joined headers and the exact raw body', async () => {
    result = { statusCode: 200, body: '{}' };
    const body = '{ "id": 820982911946154508,\n  "note": "Grüße — 你好", "price": "19.90" }';
    await send(gateway, {
      method: 'POST',
      path: '/webhooks/shopify',
      headers: [
        ['Content-Type', 'application/json; charset=utf-8'],
        ['X-Shopify-Hmac-Sha256', 'abc='],
        ['X-Custom', 'one'],
        ['x-custom', 'two'],
        ['Cookie', 'a=1; b=2'],
        ['User-Agent', 'Shopify-Captain-Hook'],
      ],
      body,
    });
    const { event, context } = last();
    expect(event.version).toBe('2.0');
    expect(event.routeKey).toBe('POST /webhooks/shopify');
    expect(event.rawPath).toBe('/webhooks/shopify');
    expect(event.rawQueryString).toBe('');
    expect(event.queryStringParameters).toBeUndefined();
    expect(event.pathParameters).toBeUndefined();
    expect(event.headers['x-shopify-hmac-sha256']).toBe('abc=');
    expect(event.headers['X-Shopify-Hmac-Sha256']).toBeUndefined();
    expect(event.headers['x-custom']).toBe('one,two');
    expect(event.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(event.headers.cookie).toBeUndefined();
    expect(event.cookies).toEqual(['a=1', 'b=2']);
    expect(event.isBase64Encoded).toBe(false);
    expect(event.body).toBe(body);
    expect(event.requestContext.http).toMatchObject({
      method: 'POST',
      path: '/webhooks/shopify',
      protocol: 'HTTP/1.1',
      sourceIp: '127.0.0.1',
      userAgent: 'Shopify-Captain-Hook',
    });
    expect(event.requestContext.stage).toBe('$default');
    expect(event.requestContext.routeKey).toBe('POST /webhooks/shopify');
    expect(event.requestContext.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(typeof event.requestContext.timeEpoch).toBe('number');
    expect(event.requestContext.requestId).not.toBe('');
    expect(context.functionName).toBe('WebhooksFunction');
    expect(context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(0);
    expect(context.getRemainingTimeInMillis()).toBeLessThanOrEqual(5000);
  });

  it('base64-encodes a binary body byte for byte', async () => {
    const bytes = Buffer.from([0x00, 0xff, 0x10, 0x80, 0x7f, 0xc3, 0x28]);
    await send(gateway, {
      method: 'POST',
      path: '/webhooks/shopify',
      headers: [['Content-Type', 'application/octet-stream']],
      body: bytes,
    });
    const { event } = last();
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body!, 'base64').equals(bytes)).toBe(true);
  });

  it('treats form posts and +json as text, and omits body when there is none', async () => {
    await send(gateway, {
      method: 'POST',
      path: '/webhooks/shopify',
      headers: [['Content-Type', 'application/x-www-form-urlencoded']],
      body: 'webhook_id=17',
    });
    expect(last().event).toMatchObject({ body: 'webhook_id=17', isBase64Encoded: false });
    await send(gateway, { method: 'POST', path: '/webhooks/shopify', headers: [['Content-Type', 'application/problem+json']], body: '{"a":1}' });
    expect(last().event).toMatchObject({ body: '{"a":1}', isBase64Encoded: false });
    await send(gateway, { method: 'GET', path: '/v1/orders/x' });
    expect(last().event.body).toBeUndefined();
    expect(last().event.isBase64Encoded).toBe(false);
  });

  it('decodes path parameters and parses the query string, keeping the raw one', async () => {
    await send(gateway, { method: 'GET', path: '/v1/orders/ord_ABC%2F9?view=full&tag=a&tag=b%20c&empty=' });
    const { event } = last();
    expect(event.routeKey).toBe('GET /v1/orders/{orderId}');
    expect(event.rawPath).toBe('/v1/orders/ord_ABC%2F9');
    expect(event.pathParameters).toEqual({ orderId: 'ord_ABC/9' });
    expect(event.rawQueryString).toBe('view=full&tag=a&tag=b%20c&empty=');
    expect(event.queryStringParameters).toEqual({ view: 'full', tag: 'a,b c', empty: '' });
  });

  it('matches a greedy {proxy+} parameter over the rest of the path', async () => {
    const res = await send(gateway, { method: 'GET', path: '/files/a/b/c.txt' });
    expect(JSON.parse(res.body.toString())).toEqual({ proxy: 'a/b/c.txt' });
  });

  it('maps a full result: status, headers, cookies and a base64 body', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    result = {
      statusCode: 201,
      headers: { 'Content-Type': 'image/png', 'X-Count': 3 },
      cookies: ['s=1; Path=/', 't=2'],
      body: png.toString('base64'),
      isBase64Encoded: true,
    };
    const res = await send(gateway, { method: 'GET', path: '/v1/orders/a' });
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['x-count']).toBe('3');
    expect(res.headers['set-cookie']).toEqual(['s=1; Path=/', 't=2']);
    expect(res.body.equals(png)).toBe(true);
  });

  it('infers 200 application/json for a bare object, and a bare string is the body', async () => {
    result = { orderId: 'ord_1', status: 'routed' };
    let res = await send(gateway, { method: 'GET', path: '/v1/orders/a' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(JSON.parse(res.body.toString())).toEqual({ orderId: 'ord_1', status: 'routed' });
    result = 'hello';
    res = await send(gateway, { method: 'GET', path: '/v1/orders/a' });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('hello');
  });

  it('answers 404 JSON for an unknown route or method', async () => {
    let res = await send(gateway, { method: 'GET', path: '/x' });
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body.toString())).toEqual({ error: { code: 'not-found', message: 'No route for GET /x' } });
    res = await send(gateway, { method: 'DELETE', path: '/v1/orders/a' });
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body.toString()).error.code).toBe('not-found');
  });

  it('answers 500 JSON without the error or a stack when the handler throws', async () => {
    const res = await send(gateway, { method: 'POST', path: '/v1/orders/a/reroute' });
    expect(res.status).toBe(500);
    const text = res.body.toString();
    expect(JSON.parse(text)).toEqual({ error: { code: 'internal', message: 'Internal error' } });
    expect(text).not.toMatch(/exploded|secret|\.ts|at /);
    // The developer still sees what happened, on the twin's own log.
    expect(logged.some((line) => line.includes('database exploded'))).toBe(true);
  });

  it('answers 500 when the result is not a valid 2.0 response', async () => {
    result = { statusCode: 'two hundred', body: 'x' };
    const res = await send(gateway, { method: 'GET', path: '/v1/orders/a' });
    expect(res.status).toBe(500);
    expect(JSON.parse(res.body.toString()).error.code).toBe('internal');
  });

  it('answers 413 for a body over 10 MB and accepts one of exactly 10 MB', async () => {
    result = { statusCode: 204 };
    const before = seen.length;
    const over = await send(gateway, {
      method: 'POST',
      path: '/webhooks/shopify',
      headers: [['Content-Type', 'application/octet-stream']],
      body: Buffer.alloc(GATEWAY_MAX_BODY_BYTES + 1, 1),
    });
    expect(over.status).toBe(413);
    expect(JSON.parse(over.body.toString()).error.code).toBe('payload-too-large');
    expect(seen.length).toBe(before);
    const limit = await send(gateway, {
      method: 'POST',
      path: '/webhooks/shopify',
      headers: [['Content-Type', 'application/octet-stream']],
      body: Buffer.alloc(GATEWAY_MAX_BODY_BYTES, 1),
    });
    expect(limit.status).toBe(204);
    expect(Buffer.from(last().event.body!, 'base64').length).toBe(GATEWAY_MAX_BODY_BYTES);
  });
});
