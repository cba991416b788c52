/**
 * Single use of a one-click action link (issue 14 item 6): the first POST records the link's
 * SHA-256 with a conditional write; any later one finds it and is refused ("already used").
 * The item expires with the link (TTL), after which the signature's expiry refuses it anyway.
 */
import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { StoreContext } from './batch.ts';
import { keys } from './keys.ts';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';

export type UseResult = { readonly kind: 'first-use' } | { readonly kind: 'already-used'; readonly usedAt: string };

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/** Records the use of `token` unless it was used before. */
export async function useActionLink(ctx: StoreContext, token: string, orderId: string, expSeconds: number, now: Date): Promise<UseResult> {
  const key = keys.actionUse(hashOf(token));
  try {
    await ctx.doc.send(
      new PutCommand({
        TableName: ctx.tableName,
        Item: { ...key, kind: 'action-use', orderId, usedAt: now.toISOString(), expiresAt: expSeconds + 86_400 },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return { kind: 'first-use' };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException) && (error as Error).name !== 'ConditionalCheckFailedException') throw error;
  }
  const { Item } = await ctx.doc.send(new GetCommand({ TableName: ctx.tableName, Key: key, ConsistentRead: true }));
  return { kind: 'already-used', usedAt: String(Item?.usedAt ?? '') };
}

/** When `token` was used, or undefined while it is unused (read consistently: a click right after the first sees it). */
export async function actionLinkUsedAt(ctx: StoreContext, token: string): Promise<string | undefined> {
  const { Item } = await ctx.doc.send(new GetCommand({ TableName: ctx.tableName, Key: keys.actionUse(hashOf(token)), ConsistentRead: true }));
  return Item === undefined ? undefined : String(Item.usedAt ?? '');
}

/** Where the key comes from (Powertools' SecretsProvider has this shape). */
export interface ActionLinkSecretSource {
  get(name: string, options: { maxAge: number }): Promise<unknown>;
}

/** The action-link key is missing or too short: our configuration, never the link's fault. */
export class ActionLinkSecretError extends Error {
  override readonly name: string = 'ActionLinkSecretError';
}

/**
 * The HMAC key of one-click links, read from Secrets Manager (`name`: ACTION_LINK_SECRET_NAME)
 * and cached for `maxAgeSeconds` per container. The value is the plain SecretString (CDK generates
 * it; the twin creates one at start).
 * @example const secret = createActionLinkSecret({ name: 'silkroute/prod/action-links' }); await secret();
 */
export function createActionLinkSecret(options: { name: string; secrets?: ActionLinkSecretSource; maxAgeSeconds?: number }): () => Promise<string> {
  let secrets = options.secrets;
  return async () => {
    // Created on first use: a container that never signs or verifies a link never builds the client.
    secrets ??= new SecretsProvider();
    const raw = await secrets.get(options.name, { maxAge: options.maxAgeSeconds ?? 300 });
    const value = typeof raw === 'string' ? raw : raw instanceof Uint8Array ? Buffer.from(raw).toString('utf8') : undefined;
    if (value === undefined || value.length < 32) throw new ActionLinkSecretError(`action-link secret ${options.name} is missing or shorter than 32 characters`);
    return value;
  };
}
