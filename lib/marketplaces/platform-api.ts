/**
 * The platforms' order APIs, over `fetch` with the endpoints as configuration (the twin points
 * them at its stand-ins, infra/local/platforms.ts; AWS at the platforms):
 *
 * - Login with Amazon: POST <token url> form-encoded `grant_type=refresh_token&refresh_token=…
 *   &client_id=…&client_secret=…` → `{ access_token, expires_in }`. The access token is kept per
 *   refresh token until a minute before it expires (an hour), so a warm fetcher asks once an hour.
 * - SP-API: GET /orders/v0/orders/{id} and …/orderItems with `x-amz-access-token`.
 * - TikTok Shop: GET /order/202507/orders, signed (tiktok-shop.ts), `x-tts-access-token`.
 *
 * A 429 is a ThrottledError: the caller leaves the work on its queue for later (never drops it).
 * Any other failure is a PlatformApiError naming the status and the platform's message.
 */
import { SilkrouteError } from '#shared/errors.ts';
import { validate } from '#http/http.ts';
import { GetOrderItemsResponse, GetOrderResponse, type AmazonOrder, type AmazonOrderItem } from './amazon.ts';
import { ordersOfDetail, TIKTOK_ORDER_DETAIL_PATH, tiktokSign, type TikTokOrder } from './tiktok-shop.ts';

/** The platform answered 429: try again later. */
export class ThrottledError extends SilkrouteError {
  override readonly name: string = 'ThrottledError';
  /** The platform's Retry-After, when it sent one. */
  readonly retryAfterSeconds: number | undefined;
  constructor(message: string, retryAfterSeconds?: number) {
    super(message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** The platform refused or failed a request (status and message in the text). */
export class PlatformApiError extends SilkrouteError {
  override readonly name: string = 'PlatformApiError';
}

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

async function bodyOf(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return text.slice(0, 300);
  }
}

function retryAfter(response: Response): number | undefined {
  const value = Number(response.headers.get('retry-after'));
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

function describe(body: unknown): string {
  const errors = (body as { errors?: { code?: string; message?: string }[] } | undefined)?.errors;
  if (Array.isArray(errors)) return errors.map((e) => `${e.code ?? ''} ${e.message ?? ''}`.trim()).join('; ');
  const message = (body as { message?: string; error_description?: string; code?: number } | undefined) ?? {};
  return String(message.error_description ?? message.message ?? (typeof body === 'string' ? body : JSON.stringify(body) ?? ''));
}

async function send(fetchFn: Fetch, what: string, url: string, init: RequestInit): Promise<unknown> {
  let response: Response;
  try {
    response = await fetchFn(url, { ...init, signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    throw new PlatformApiError(`${what}: no answer from ${new URL(url).origin}`, { cause: error });
  }
  const body = await bodyOf(response);
  if (response.status === 429) throw new ThrottledError(`${what}: throttled (429) by ${new URL(url).origin}`, retryAfter(response));
  if (!response.ok) throw new PlatformApiError(`${what}: ${response.status} ${describe(body)}`);
  return body;
}

export interface AmazonCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly refreshToken: string;
}

export interface LwaTokens {
  accessToken(credentials: AmazonCredentials): Promise<string>;
}

/** Access tokens from Login with Amazon, cached per refresh token until a minute before expiry. */
export function createLwaTokens(options: { tokenUrl: string; fetch?: Fetch; clock?: () => number }): LwaTokens {
  const fetchFn = options.fetch ?? fetch;
  const clock = options.clock ?? Date.now;
  const cache = new Map<string, { token: string; until: number }>();
  return {
    async accessToken(credentials) {
      const cached = cache.get(credentials.refreshToken);
      if (cached !== undefined && cached.until > clock()) return cached.token;
      const body = new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: credentials.refreshToken,
        client_id: credentials.clientId,
        client_secret: credentials.clientSecret,
      });
      const answer = (await send(fetchFn, 'Login with Amazon token', options.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
        body: body.toString(),
      })) as { access_token?: unknown; expires_in?: unknown };
      if (typeof answer?.access_token !== 'string') throw new PlatformApiError('Login with Amazon token: the answer has no access_token');
      const seconds = typeof answer.expires_in === 'number' ? answer.expires_in : 3600;
      cache.set(credentials.refreshToken, { token: answer.access_token, until: clock() + Math.max(0, seconds - 60) * 1000 });
      return answer.access_token;
    },
  };
}

export interface SpApi {
  /** The order and every one of its items (all pages). */
  getOrderWithItems(orderId: string, credentials: AmazonCredentials): Promise<{ order: AmazonOrder; items: AmazonOrderItem[] }>;
}

/** The Orders API v0 client. */
export function createSpApi(options: { baseUrl: string; tokens: LwaTokens; fetch?: Fetch }): SpApi {
  const fetchFn = options.fetch ?? fetch;
  const base = options.baseUrl.replace(/\/+$/, '');
  const get = async (what: string, path: string, credentials: AmazonCredentials) =>
    send(fetchFn, what, `${base}${path}`, { headers: { 'x-amz-access-token': await options.tokens.accessToken(credentials), accept: 'application/json' } });
  return {
    async getOrderWithItems(orderId, credentials) {
      const id = encodeURIComponent(orderId);
      const order = validate(GetOrderResponse, await get(`getOrder ${orderId}`, `/orders/v0/orders/${id}`, credentials)).payload;
      const items: AmazonOrderItem[] = [];
      let next: string | undefined;
      for (let page = 0; page < 20; page++) {
        const query = next === undefined ? '' : `?NextToken=${encodeURIComponent(next)}`;
        const answer = validate(GetOrderItemsResponse, await get(`getOrderItems ${orderId}`, `/orders/v0/orders/${id}/orderItems${query}`, credentials)).payload;
        items.push(...answer.OrderItems);
        next = answer.NextToken;
        if (next === undefined) break;
      }
      return { order, items };
    },
  };
}

export interface TikTokCredentials {
  readonly appKey: string;
  readonly appSecret: string;
  readonly accessToken: string;
  readonly shopCipher?: string;
}

export interface TikTokShopApi {
  /** The order, or undefined when TikTok has no such order for this shop. */
  getOrder(orderId: string, credentials: TikTokCredentials): Promise<TikTokOrder | undefined>;
}

/** The Get Order Detail client, every request signed. */
export function createTikTokShopApi(options: { baseUrl: string; fetch?: Fetch; clock?: () => number }): TikTokShopApi {
  const fetchFn = options.fetch ?? fetch;
  const clock = options.clock ?? Date.now;
  const base = options.baseUrl.replace(/\/+$/, '');
  return {
    async getOrder(orderId, credentials) {
      const query: Record<string, string> = {
        app_key: credentials.appKey,
        timestamp: String(Math.floor(clock() / 1000)),
        ids: orderId,
        ...(credentials.shopCipher === undefined ? {} : { shop_cipher: credentials.shopCipher }),
      };
      const sign = tiktokSign(TIKTOK_ORDER_DETAIL_PATH, query, '', credentials.appSecret);
      const url = `${base}${TIKTOK_ORDER_DETAIL_PATH}?${new URLSearchParams({ ...query, sign }).toString()}`;
      const body = await send(fetchFn, `Get Order Detail ${orderId}`, url, {
        headers: { 'x-tts-access-token': credentials.accessToken, 'content-type': 'application/json' },
      });
      const code = (body as { code?: unknown } | undefined)?.code;
      if (code !== 0) throw new PlatformApiError(`Get Order Detail ${orderId}: code ${String(code)} ${describe(body)}`);
      return ordersOfDetail(body).find((o) => o.id === orderId);
    },
  };
}
