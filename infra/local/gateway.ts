/**
 * The local API Gateway: a node:http server that turns each request into an HTTP API payload
 * format 2.0 event, invokes the route's handler with a Lambda-like context, and maps the result
 * back per the 2.0 rules. The same handler code runs behind API Gateway in AWS.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { SilkrouteError } from '#shared/errors.ts';
import { TWIN_ACCOUNT_ID } from './env.ts';
import { invoke, type LambdaHandler } from './lambda.ts';
import { closeServer, isAddressInUse, listen, PortInUseError } from './net.ts';

/** API Gateway's payload limit for HTTP APIs (10 MB). */
export const GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface GatewayRoute {
  /** GET, POST, … or ANY. */
  readonly method: string;
  /** A route path as in API Gateway: `/v1/orders/{orderId}`, `{proxy+}` for a greedy tail. */
  readonly path: string;
  readonly handler: LambdaHandler<APIGatewayProxyEventV2, unknown>;
  readonly functionName?: string;
  /** The function timeout; defaults to API Gateway's 30 s integration limit. */
  readonly timeoutSeconds?: number;
  readonly memoryMb?: number;
}

export interface GatewayOptions {
  readonly routes: readonly GatewayRoute[];
  /** 0 = ephemeral (tests). */
  readonly port?: number;
  readonly host?: string;
  /** Named in the "port in use" error. */
  readonly portVariable?: string;
  readonly maxBodyBytes?: number;
  /** Where handler failures are reported (never to the caller). Defaults to console.error. */
  readonly log?: (line: string) => void;
}

export interface Gateway {
  readonly port: number;
  readonly url: string;
  /** Stops accepting, waits for in-flight invocations, closes every connection. */
  stop(): Promise<void>;
}

/** Starts the gateway; rejects with PortInUseError when the port is taken. */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const host = options.host ?? '127.0.0.1';
  const maxBodyBytes = options.maxBodyBytes ?? GATEWAY_MAX_BODY_BYTES;
  const log = options.log ?? ((line: string) => console.error(line));
  const routes = compileRoutes(options.routes);
  const inflight = new Set<Promise<void>>();
  const server = createServer((req, res) => {
    const done = serve(req, res, { routes, maxBodyBytes, log, port: actualPort() }).catch((error: unknown) => {
      log(`gateway: ${describe(error)}`);
      if (!res.headersSent) sendJson(res, 500, errorBody('internal', 'Internal error'), randomRequestId());
      else res.destroy();
    });
    inflight.add(done);
    void done.finally(() => inflight.delete(done));
  });
  const actualPort = () => (server.address() as AddressInfo | null)?.port ?? 0;
  const port = options.port ?? 0;
  try {
    await listen(server, port, host);
  } catch (error) {
    if (isAddressInUse(error)) throw new PortInUseError(port, options.portVariable ?? 'PORT', { cause: error });
    throw error;
  }
  return {
    port: actualPort(),
    url: `http://${host}:${actualPort()}`,
    async stop() {
      const closed = closeServerGracefully(server);
      await Promise.allSettled([...inflight]);
      server.closeAllConnections();
      await closed;
    },
  };
}

function closeServerGracefully(server: ReturnType<typeof createServer>): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) return resolve();
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
  });
}

// ---------------------------------------------------------------------------------------------
// Routing

interface CompiledRoute {
  readonly route: GatewayRoute;
  readonly routeKey: string;
  readonly segments: readonly { literal?: string; param?: string; greedy?: boolean }[];
  /** Higher wins: literal segments count most, a greedy tail least (API Gateway's "most specific"). */
  readonly specificity: number;
}

/** Parses route paths once and orders them most specific first. */
export function compileRoutes(routes: readonly GatewayRoute[]): CompiledRoute[] {
  return routes
    .map((route) => {
      const parts = route.path.split('/').slice(1);
      const segments = parts.map((part) => {
        const match = /^\{([A-Za-z0-9_.-]+)(\+)?\}$/.exec(part);
        if (match === null) return { literal: part };
        return match[2] === '+' ? { param: match[1]!, greedy: true } : { param: match[1]! };
      });
      const literals = segments.filter((s) => s.literal !== undefined).length;
      const greedy = segments.some((s) => s.greedy === true);
      const method = route.method.toUpperCase();
      return {
        route,
        routeKey: `${method} ${route.path}`,
        segments,
        specificity: literals * 1000 + segments.length * 10 - (greedy ? 5 : 0) + (method === 'ANY' ? 0 : 1),
      };
    })
    .sort((a, b) => b.specificity - a.specificity);
}

/** Finds the most specific route for a method and raw path; path parameters come decoded. */
export function matchRoute(
  routes: readonly CompiledRoute[],
  method: string,
  rawPath: string,
): { route: CompiledRoute; pathParameters: Record<string, string> } | undefined {
  const parts = rawPath.split('/').slice(1);
  for (const compiled of routes) {
    const routeMethod = compiled.route.method.toUpperCase();
    if (routeMethod !== 'ANY' && routeMethod !== method.toUpperCase()) continue;
    const params = matchSegments(compiled.segments, parts);
    if (params !== undefined) return { route: compiled, pathParameters: params };
  }
  return undefined;
}

function matchSegments(
  segments: CompiledRoute['segments'],
  parts: readonly string[],
): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (segment.greedy === true) {
      const rest = parts.slice(i);
      if (rest.length === 0 || rest.join('/') === '') return undefined;
      params[segment.param!] = safeDecode(rest.join('/'));
      return params;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if (segment.literal !== undefined) {
      if (segment.literal !== part) return undefined;
    } else {
      if (part === '') return undefined;
      params[segment.param!] = safeDecode(part);
    }
  }
  return parts.length === segments.length ? params : undefined;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

// ---------------------------------------------------------------------------------------------
// Request → event

/** API Gateway passes these content types as UTF-8 text; everything else arrives base64-encoded. */
export function isTextContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const media = contentType.split(';')[0]!.trim().toLowerCase();
  return (
    media.startsWith('text/') ||
    media === 'application/json' ||
    media === 'application/x-www-form-urlencoded' ||
    media === 'application/xml' ||
    media.endsWith('+json') ||
    media.endsWith('+xml')
  );
}

export interface RawRequest {
  readonly method: string;
  /** Path and query as sent: `/v1/orders/abc?x=1`. */
  readonly url: string;
  /** Alternating names and values, as node:http's rawHeaders. */
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
  readonly sourceIp: string;
  readonly protocol: string;
  readonly port: number;
}

/** Builds the payload format 2.0 event API Gateway would send for this request and route. */
export function buildEvent(
  request: RawRequest,
  route: { routeKey: string; pathParameters: Record<string, string> },
  now: Date = new Date(),
  requestId: string = randomRequestId(),
): APIGatewayProxyEventV2 {
  const queryAt = request.url.indexOf('?');
  const withoutFragment = request.url.split('#')[0]!;
  const rawPath = queryAt === -1 ? withoutFragment : withoutFragment.slice(0, queryAt);
  const rawQueryString = queryAt === -1 ? '' : withoutFragment.slice(queryAt + 1);

  // Duplicate headers are comma-joined; cookies move out of the headers into `cookies`.
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i]!.toLowerCase();
    const value = request.rawHeaders[i + 1]!;
    if (name === 'cookie') {
      cookies.push(...value.split(';').map((c) => c.trim()).filter((c) => c !== ''));
      continue;
    }
    headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
  }
  headers['x-forwarded-for'] ??= request.sourceIp;
  headers['x-forwarded-port'] ??= String(request.port);
  headers['x-forwarded-proto'] ??= 'http';
  headers['x-amzn-trace-id'] ??= traceId(now);

  const queryStringParameters: Record<string, string> = {};
  if (rawQueryString !== '') {
    for (const [key, value] of new URLSearchParams(rawQueryString)) {
      queryStringParameters[key] = queryStringParameters[key] === undefined ? value : `${queryStringParameters[key]},${value}`;
    }
  }

  const domainName = (headers.host ?? `127.0.0.1:${request.port}`).replace(/:\d+$/, '');
  const text = isTextContentType(headers['content-type']);
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath,
    rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(Object.keys(queryStringParameters).length > 0 ? { queryStringParameters } : {}),
    requestContext: {
      accountId: TWIN_ACCOUNT_ID,
      apiId: 'local',
      domainName,
      domainPrefix: domainName.split('.')[0] ?? domainName,
      http: {
        method: request.method.toUpperCase(),
        path: rawPath,
        protocol: request.protocol,
        sourceIp: request.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: route.routeKey,
      stage: '$default',
      time: clfTime(now),
      timeEpoch: now.getTime(),
    },
    ...(Object.keys(route.pathParameters).length > 0 ? { pathParameters: route.pathParameters } : {}),
    ...(request.body.length > 0 ? { body: text ? request.body.toString('utf8') : request.body.toString('base64') } : {}),
    isBase64Encoded: request.body.length > 0 && !text,
  };
  return event;
}

/** `12/Mar/2020:19:03:58 +0000`, the format of requestContext.time. */
function clfTime(date: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

function traceId(now: Date): string {
  return `Root=1-${Math.floor(now.getTime() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
}

/** API Gateway's request ids look like `JKJaXmPLvHcESHA=`. */
function randomRequestId(): string {
  return randomBytes(10).toString('base64');
}

// ---------------------------------------------------------------------------------------------
// Result → response

/** The handler's result cannot be turned into a response (API Gateway answers 500). */
export class InvalidLambdaResponseError extends SilkrouteError {
  override readonly name: string = 'InvalidLambdaResponseError';
}

export interface MappedResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly cookies: readonly string[];
  readonly body: Buffer;
}

/**
 * Payload format 2.0 response rules: an object with `statusCode` is a full response (headers,
 * cookies, body, isBase64Encoded); anything else is inferred as 200 application/json, a string
 * as the body itself, any other value as its JSON.
 */
export function mapResult(result: unknown): MappedResponse {
  if (typeof result === 'object' && result !== null && 'statusCode' in result) {
    const r = result as Record<string, unknown>;
    const status = r.statusCode;
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
      throw new InvalidLambdaResponseError(`statusCode must be an integer 100–599, got ${JSON.stringify(status)}`);
    }
    const headers: Record<string, string> = {};
    if (r.headers !== undefined && r.headers !== null) {
      if (typeof r.headers !== 'object') throw new InvalidLambdaResponseError('headers must be an object');
      for (const [name, value] of Object.entries(r.headers)) {
        if (!['string', 'number', 'boolean'].includes(typeof value)) {
          throw new InvalidLambdaResponseError(`header ${name} must be a string, number or boolean`);
        }
        headers[name.toLowerCase()] = String(value);
      }
    }
    let cookies: string[] = [];
    if (r.cookies !== undefined && r.cookies !== null) {
      if (!Array.isArray(r.cookies) || !r.cookies.every((c) => typeof c === 'string')) {
        throw new InvalidLambdaResponseError('cookies must be an array of strings');
      }
      cookies = r.cookies;
    }
    if (r.body !== undefined && r.body !== null && typeof r.body !== 'string') {
      throw new InvalidLambdaResponseError('body must be a string');
    }
    const text = typeof r.body === 'string' ? r.body : '';
    const body = r.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
    return { statusCode: status, headers, cookies, body };
  }
  const body = typeof result === 'string' ? result : (JSON.stringify(result ?? null) ?? 'null');
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, cookies: [], body: Buffer.from(body, 'utf8') };
}

// ---------------------------------------------------------------------------------------------
// The HTTP edge

function errorBody(code: string, message: string): string {
  return JSON.stringify({ error: { code, message } });
}

function sendJson(res: ServerResponse, status: number, body: string, requestId: string): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'apigw-requestid': requestId,
  });
  res.end(body);
}

interface ServeContext {
  readonly routes: readonly CompiledRoute[];
  readonly maxBodyBytes: number;
  readonly log: (line: string) => void;
  readonly port: number;
}

async function serve(req: IncomingMessage, res: ServerResponse, ctx: ServeContext): Promise<void> {
  const requestId = randomRequestId();
  const method = (req.method ?? 'GET').toUpperCase();
  const url = req.url ?? '/';

  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > ctx.maxBodyBytes) {
    // Answer at once, then drain what the client still sends so it can read the answer.
    res.setHeader('connection', 'close');
    sendJson(res, 413, errorBody('payload-too-large', `The body is larger than ${ctx.maxBodyBytes} bytes.`), requestId);
    req.resume();
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= ctx.maxBodyBytes) chunks.push(chunk as Buffer);
  }
  if (size > ctx.maxBodyBytes) {
    res.setHeader('connection', 'close');
    sendJson(res, 413, errorBody('payload-too-large', `The body is larger than ${ctx.maxBodyBytes} bytes.`), requestId);
    return;
  }

  const rawPath = url.split('?')[0]!.split('#')[0]!;
  const matched = matchRoute(ctx.routes, method, rawPath);
  if (matched === undefined) {
    sendJson(res, 404, errorBody('not-found', `No route for ${method} ${rawPath}`), requestId);
    return;
  }

  const event = buildEvent(
    {
      method,
      url,
      rawHeaders: req.rawHeaders,
      body: Buffer.concat(chunks),
      sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
      protocol: `HTTP/${req.httpVersion}`,
      port: ctx.port,
    },
    { routeKey: matched.route.routeKey, pathParameters: matched.pathParameters },
    new Date(),
    requestId,
  );
  const route = matched.route.route;
  let mapped: MappedResponse;
  try {
    const result = await invoke(route.handler, event, {
      functionName: route.functionName ?? 'LocalFunction',
      timeoutSeconds: route.timeoutSeconds ?? 30,
      ...(route.memoryMb !== undefined ? { memoryMb: route.memoryMb } : {}),
    });
    mapped = mapResult(result);
  } catch (error) {
    // Like API Gateway: the caller learns nothing about the failure; the developer sees it here.
    ctx.log(`gateway: ${matched.route.routeKey} (${requestId}) failed: ${describe(error)}`);
    sendJson(res, 500, errorBody('internal', 'Internal error'), requestId);
    return;
  }
  res.statusCode = mapped.statusCode;
  for (const [name, value] of Object.entries(mapped.headers)) res.setHeader(name, value);
  if (mapped.cookies.length > 0) res.setHeader('set-cookie', [...mapped.cookies]);
  res.setHeader('content-length', mapped.body.length);
  res.setHeader('apigw-requestid', requestId);
  res.end(mapped.body);
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}
