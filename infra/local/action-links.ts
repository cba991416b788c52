/**
 * The twin's action-link key (ADR 0041): created once in the twin's Secrets Manager with a random
 * value, as CDK's generated secret is in AWS, and kept with the twin's state, so the links in
 * emails of an earlier run still verify after a restart. The handlers read it by name
 * (ACTION_LINK_SECRET_NAME) through the same code as in AWS.
 */
import { randomBytes } from 'node:crypto';
import { CreateSecretCommand, DescribeSecretCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export const TWIN_ACTION_LINK_SECRET_NAME = 'silkroute/local/action-links';

/** Creates the key unless it exists; answers whether it was created. */
export async function ensureActionLinkSecret(secrets: SecretsManagerClient, name = TWIN_ACTION_LINK_SECRET_NAME): Promise<boolean> {
  try {
    await secrets.send(new DescribeSecretCommand({ SecretId: name }));
    return false;
  } catch (error) {
    if ((error as { name?: string }).name !== 'ResourceNotFoundException') throw error;
  }
  await secrets.send(
    new CreateSecretCommand({ Name: name, Description: 'Silkroute twin: one-click action link key', SecretString: randomBytes(48).toString('base64url') }),
  );
  return true;
}
