/**
 * Stand-ins for the platforms' order APIs on the twin (issue 16): Login with Amazon's token
 * endpoint, SP-API's getOrder / getOrderItems, and TikTok Shop's Get Order Detail, on one
 * loopback server. They answer in the documented shapes (lib/marketplaces/fixtures/<platform>/README.md
 * name the sources) and check what the platforms check: the LWA client and refresh token, the
 * access token on every SP-API call, TikTok's request signature, app key, timestamp window and
 * shop token. The fetcher reaches them through configuration only (AMAZON_LWA_TOKEN_URL,
 * AMAZON_SP_API_URL, TIKTOK_SHOP_API_URL): in AWS those variables are the platforms' own, and
 * nothing in lib/ or functions/ knows which it talks to.
 *
 * `throttle(orderId, n)` makes the next n order requests for that id answer 429, as a platform
 * does when its rate limit is exceeded (SP-API: `QuotaExceeded`).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TIKTOK_ORDER_DETAIL_PATH, tiktokSign } from '#marketplaces/tiktok-shop.ts';
import { closeServer, listen } from './net.ts';

type Json = Record<string, unknown>;

export interface AmazonAuthorisation {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly refreshToken: string;
}

export interface TikTokAuthorisation {
  readonly appKey: string;
  readonly appSecret: string;
  readonly accessToken: string;
  readonly shopCipher?: string;
}

export interface PlatformStandIns {
  readonly url: string;
  /** The three endpoints, as the fetcher's configuration takes them. */
  readonly urls: { readonly lwaTokenUrl: string; readonly spApiUrl: string; readonly tiktokShopApiUrl: string };
  /** A seller who authorised the app (its refresh token, the app's LWA client). */
  authoriseAmazon(auth: AmazonAuthorisation): void;
  /** A shop that authorised the app (its access token and cipher, the app's key and secret). */
  authoriseTikTok(auth: TikTokAuthorisation): void;
  /** An order as getOrder returns its payload, and its items as getOrderItems does. */
  putAmazonOrder(order: Json & { AmazonOrderId: string }, items: readonly Json[]): void;
  /** An order as Get Order Detail returns it, for the shop holding `accessToken`. */
  putTikTokOrder(accessToken: string, order: Json & { id: string }): void;
  /** The next `times` order requests for `orderId` (either platform) answer 429. */
  throttle(orderId: string, times: number): void;
  /** Requests served, by kind (`lwa-token`, `getOrder`, `getOrderItems`, `tiktok-order-detail`, `429`). */
  readonly counts: ReadonlyMap<string, number>;
  stop(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: Json): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': randomUUID() });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const spError = (code: string, message: string) => ({ errors: [{ code, message, details: '' }] });

/** Starts the stand-ins on loopback (an ephemeral port unless one is given). */
export async function startPlatformStandIns(options: { port?: number; host?: string; clock?: () => number } = {}): Promise<PlatformStandIns> {
  const host = options.host ?? '127.0.0.1';
  const clock = options.clock ?? Date.now;
  const amazonSellers = new Map<string, AmazonAuthorisation>();
  const issued = new Map<string, { until: number }>();
  const amazonOrders = new Map<string, { order: Json; items: readonly Json[] }>();
  const tiktokApps = new Map<string, TikTokAuthorisation>();
  const tiktokOrders = new Map<string, Map<string, Json>>();
  const throttled = new Map<string, number>();
  const counts = new Map<string, number>();
  const count = (kind: string) => counts.set(kind, (counts.get(kind) ?? 0) + 1);

  /** True (and answered) when this order is to be throttled now. */
  function throttle(res: ServerResponse, orderId: string, body: Json): boolean {
    const left = throttled.get(orderId) ?? 0;
    if (left <= 0) return false;
    throttled.set(orderId, left - 1);
    count('429');
    send(res, 429, body);
    return true;
  }

  async function lwaToken(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(req));
    count('lwa-token');
    if (form.get('grant_type') !== 'refresh_token') return send(res, 400, { error: 'unsupported_grant_type', error_description: 'The authorization grant type is not supported.' });
    const seller = amazonSellers.get(form.get('refresh_token') ?? '');
    if (seller === undefined) return send(res, 400, { error: 'invalid_grant', error_description: 'The request has an invalid grant parameter : refresh_token' });
    if (seller.clientId !== form.get('client_id') || seller.clientSecret !== form.get('client_secret')) {
      return send(res, 401, { error: 'invalid_client', error_description: 'Client authentication failed' });
    }
    const token = `Atza|standin-${randomUUID()}`;
    issued.set(token, { until: clock() + 3600_000 });
    send(res, 200, { access_token: token, refresh_token: seller.refreshToken, token_type: 'bearer', expires_in: 3600 });
  }

  function spApi(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const match = /^\/orders\/v0\/orders\/([^/]+)(\/orderItems)?$/.exec(url.pathname);
    if (match === null || req.method !== 'GET') return send(res, 404, spError('NotFound', 'The resource specified does not exist.'));
    const token = issued.get(String(req.headers['x-amz-access-token'] ?? ''));
    if (token === undefined || token.until <= clock()) return send(res, 403, spError('Unauthorized', 'Access to requested resource is denied.'));
    const orderId = decodeURIComponent(match[1]!);
    if (throttle(res, orderId, spError('QuotaExceeded', 'You exceeded your quota for the requested resource.'))) return;
    const found = amazonOrders.get(orderId);
    if (found === undefined) return send(res, 404, spError('InvalidInput', `Invalid AmazonOrderId: ${orderId}`));
    if (match[2] === undefined) {
      count('getOrder');
      return send(res, 200, { payload: found.order });
    }
    count('getOrderItems');
    send(res, 200, { payload: { AmazonOrderId: orderId, OrderItems: found.items } });
  }

  function tiktok(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const requestId = randomUUID().replaceAll('-', '').toUpperCase();
    const refuse = (status: number, code: number, message: string) => send(res, status, { code, message, request_id: requestId });
    if (url.pathname !== TIKTOK_ORDER_DETAIL_PATH || req.method !== 'GET') return refuse(404, 404, 'Not found');
    const query = Object.fromEntries(url.searchParams);
    const app = [...tiktokApps.values()].find((a) => a.appKey === query.app_key);
    if (app === undefined) return refuse(401, 401, 'Invalid app_key');
    const { sign, ...signed } = query;
    if (sign !== tiktokSign(url.pathname, signed, '', app.appSecret)) return refuse(401, 401, 'Invalid signature');
    // "The timestamp must be within 5 minutes of the current time when the platform receives the request."
    if (Math.abs(Number(query.timestamp) - clock() / 1000) > 300) return refuse(401, 401, 'Invalid timestamp');
    const shop = tiktokApps.get(String(req.headers['x-tts-access-token'] ?? ''));
    if (shop === undefined || shop.appKey !== app.appKey) return refuse(401, 401, 'Invalid access token');
    if (shop.shopCipher !== undefined && query.shop_cipher !== shop.shopCipher) return refuse(400, 400, 'Invalid shop_cipher');
    const ids = (query.ids ?? '').split(',').filter((id) => id !== '');
    for (const id of ids) if (throttle(res, id, { code: 429, message: 'Too many requests', request_id: requestId })) return;
    count('tiktok-order-detail');
    const orders = ids.flatMap((id) => {
      const order = tiktokOrders.get(shop.accessToken)?.get(id);
      return order === undefined ? [] : [order];
    });
    send(res, 200, { code: 0, message: 'Success', request_id: requestId, data: { orders } });
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${host}`);
    const route = url.pathname === '/auth/o2/token' ? lwaToken(req, res) : url.pathname.startsWith('/orders/v0/') ? spApi(req, res, url) : tiktok(req, res, url);
    Promise.resolve(route).catch((error: unknown) => send(res, 500, { message: String(error) }));
  });
  await listen(server, options.port ?? 0, host);
  const url = `http://${host}:${(server.address() as AddressInfo).port}`;

  return {
    url,
    urls: { lwaTokenUrl: `${url}/auth/o2/token`, spApiUrl: url, tiktokShopApiUrl: url },
    authoriseAmazon: (auth) => void amazonSellers.set(auth.refreshToken, auth),
    authoriseTikTok: (auth) => void tiktokApps.set(auth.accessToken, auth),
    putAmazonOrder: (order, items) => void amazonOrders.set(order.AmazonOrderId, { order, items }),
    putTikTokOrder(accessToken, order) {
      const orders = tiktokOrders.get(accessToken) ?? new Map<string, Json>();
      orders.set(order.id, order);
      tiktokOrders.set(accessToken, orders);
    },
    throttle: (orderId, times) => void throttled.set(orderId, times),
    counts,
    stop: () => closeServer(server),
  };
}
