/**
 * The signing key of the one-click links (ADR 0041, 0042) from Secrets Manager: a plain string of
 * at least 32 characters under the name in ACTION_LINK_SIGNING_NAME, created by the operator (or
 * the twin at its first start), never by the stack. Cached for a warm container like the webhook
 * secrets; the client is built on first use.
 */
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SilkrouteError } from '#shared/errors.ts';
import type { SecretSource } from './connections.ts';

/** The key is missing, unreadable or too short: our configuration, never the link's fault. */
export class LinkSecretError extends SilkrouteError {
  override readonly name: string = 'LinkSecretError';
}

/** A reader of the link signing key. @example const secret = createLinkSecret('silkroute/prod/action-links'); await secret() */
export function createLinkSecret(name: string, options: { secrets?: SecretSource; maxAgeSeconds?: number } = {}): () => Promise<string> {
  let secrets = options.secrets;
  const maxAge = options.maxAgeSeconds ?? 300;
  return async () => {
    secrets ??= new SecretsProvider();
    let raw: unknown;
    try {
      raw = await secrets.get(name, { maxAge });
    } catch (error) {
      throw new LinkSecretError(`the link signing key ${name} could not be read`, { cause: error });
    }
    const text = typeof raw === 'string' ? raw : raw instanceof Uint8Array ? Buffer.from(raw).toString('utf8') : '';
    if (text.length < 32) throw new LinkSecretError(`the link signing key ${name} must be a string of at least 32 characters`);
    return text;
  };
}
