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
