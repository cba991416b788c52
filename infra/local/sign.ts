/**
 * Signers for replaying sample webhooks: each produces the headers the platform would send.
 * Written independently of lib/marketplaces' verifiers on purpose, so a replay is a real test
 * of them (tests cross-check against the `standardwebhooks` package).
 */
import { createHmac, randomUUID } from 'node:crypto';

/** Shopify: X-Shopify-Hmac-Sha256 = base64 HMAC-SHA256 of the raw body with the app secret. */
export function signShopify(rawBody: string | Buffer, secret: string): Record<string, string> {
  return { 'X-Shopify-Hmac-Sha256': createHmac('sha256', secret).update(rawBody).digest('base64') };
}

/** WooCommerce: X-WC-Webhook-Signature = base64 HMAC-SHA256 of the raw body with the webhook secret. */
export function signWooCommerce(rawBody: string | Buffer, secret: string): Record<string, string> {
  return { 'X-WC-Webhook-Signature': createHmac('sha256', secret).update(rawBody).digest('base64') };
}

/**
 * Standard Webhooks: webhook-signature = `v1,` + base64 HMAC-SHA256 of `${id}.${timestamp}.${body}`
 * keyed with the base64-decoded part of the secret after `whsec_`. Timestamps are epoch seconds
 * and must be fresh (receivers allow ±5 minutes), which is why samples are signed at replay time.
 */
export function signStandardWebhook(
  rawBody: string | Buffer,
  secret: string,
  options: { id?: string; timestamp?: Date } = {},
): Record<string, string> {
  const id = options.id ?? `msg_${randomUUID().replaceAll('-', '')}`;
  const timestamp = String(Math.floor((options.timestamp ?? new Date()).getTime() / 1000));
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
  const content = Buffer.concat([Buffer.from(`${id}.${timestamp}.`, 'utf8'), Buffer.from(rawBody)]);
  const signature = createHmac('sha256', key).update(content).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` };
}

/**
 * Every header WooCommerce sends with an `order.created` delivery (lower-case, as fetch sends
 * them), signed: what the twin's load test, crash test and rehearsal post.
 */
export function wooCommerceOrderCreatedHeaders(rawBody: string | Buffer, secret: string, options: { source: string; deliveryId: string }): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-wc-webhook-source': options.source,
    'x-wc-webhook-topic': 'order.created',
    'x-wc-webhook-resource': 'order',
    'x-wc-webhook-event': 'created',
    'x-wc-webhook-delivery-id': options.deliveryId,
    ...signWooCommerce(rawBody, secret),
  };
}
