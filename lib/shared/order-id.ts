/**
 * Canonical order ids are ours, derived from the business key (platform, shop, external order
 * id): the same order from a retried or duplicated webhook always gets the same id, and an id
 * never reveals the shop or the external number.
 */
import { createHash } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567'; // RFC 4648 base32, lower case: URL-safe

/** Lower-case base32 of the bytes (no padding). */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/**
 * `ord_` + 26 base32 characters (130 bits) of SHA-256 over the business key.
 * @example canonicalOrderId('shopify', 'tianmen-garments.myshopify.com', '5820012345678') // 'ord_…'
 */
export function canonicalOrderId(platform: string, shop: string, externalId: string): string {
  // A separator that cannot occur in any part keeps ('a', 'bc') and ('ab', 'c') apart.
  const digest = createHash('sha256').update(`${platform}\u0000${shop}\u0000${externalId}`, 'utf8').digest();
  return `ord_${base32(digest).slice(0, 26)}`;
}
