import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TWIN_CREDENTIALS, TWIN_REGION } from '../infra/local/env.ts';
import { startSecretsManager, type SecretsManagerTwin } from '../infra/local/secrets-manager.ts';

describe('Secrets Manager twin', () => {
  let twin: SecretsManagerTwin;
  let client: SecretsManagerClient;

  beforeAll(async () => {
    twin = await startSecretsManager();
    client = new SecretsManagerClient({ region: TWIN_REGION, credentials: TWIN_CREDENTIALS, endpoint: twin.endpoint });
  });
  afterAll(async () => {
    client.destroy();
    await twin.stop();
  });

  it('creates, reads and describes a secret through @aws-sdk/client-secrets-manager', async () => {
    const name = 'silkroute/local/webhooks/shopify/a.myshopify.com';
    const created = await client.send(new CreateSecretCommand({ Name: name, SecretString: '{"current":"s1"}', Description: 'demo' }));
    expect(created.Name).toBe(name);
    expect(created.ARN).toMatch(new RegExp(`^arn:aws:secretsmanager:eu-central-1:\\d{12}:secret:${name}-[0-9a-f]{6}$`));
    expect(created.VersionId).toBeDefined();

    const got = await client.send(new GetSecretValueCommand({ SecretId: name }));
    expect(got.SecretString).toBe('{"current":"s1"}');
    expect(got.VersionStages).toEqual(['AWSCURRENT']);
    expect(got.CreatedDate).toBeInstanceOf(Date);

    const byArn = await client.send(new GetSecretValueCommand({ SecretId: created.ARN }));
    expect(byArn.SecretString).toBe('{"current":"s1"}');

    const described = await client.send(new DescribeSecretCommand({ SecretId: name }));
    expect(described).toMatchObject({ Name: name, ARN: created.ARN, Description: 'demo' });
    expect(described.VersionIdsToStages).toEqual({ [created.VersionId!]: ['AWSCURRENT'] });
  });

  it('rotates: PutSecretValue makes the new value current and keeps the old one as AWSPREVIOUS', async () => {
    const name = 'rotating';
    const first = await client.send(new CreateSecretCommand({ Name: name, SecretString: 'old' }));
    const second = await client.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'new' }));
    expect(second.VersionStages).toEqual(['AWSCURRENT']);
    expect((await client.send(new GetSecretValueCommand({ SecretId: name }))).SecretString).toBe('new');
    expect((await client.send(new GetSecretValueCommand({ SecretId: name, VersionStage: 'AWSPREVIOUS' }))).SecretString).toBe('old');
    expect((await client.send(new GetSecretValueCommand({ SecretId: name, VersionId: first.VersionId }))).SecretString).toBe('old');
    await client.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'newest' }));
    const stages = (await client.send(new DescribeSecretCommand({ SecretId: name }))).VersionIdsToStages!;
    expect(stages[second.VersionId!]).toEqual(['AWSPREVIOUS']);
    expect(stages[first.VersionId!]).toBeUndefined();
  });

  it('answers the SDK\'s modelled errors: unknown secret, existing name, reused token with another value', async () => {
    await expect(client.send(new GetSecretValueCommand({ SecretId: 'nope' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(client.send(new PutSecretValueCommand({ SecretId: 'nope', SecretString: 'x' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    await client.send(new CreateSecretCommand({ Name: 'dup', SecretString: 'x' }));
    await expect(client.send(new CreateSecretCommand({ Name: 'dup', SecretString: 'y' }))).rejects.toBeInstanceOf(
      ResourceExistsException,
    );
    const token = '2b7a6c44-3c1e-4a5e-9d0c-3f1f2f3a4b5c';
    const a = await client.send(new PutSecretValueCommand({ SecretId: 'dup', SecretString: 'z', ClientRequestToken: token }));
    const retry = await client.send(new PutSecretValueCommand({ SecretId: 'dup', SecretString: 'z', ClientRequestToken: token }));
    expect(retry.VersionId).toBe(a.VersionId);
    await expect(
      client.send(new PutSecretValueCommand({ SecretId: 'dup', SecretString: 'other', ClientRequestToken: token })),
    ).rejects.toBeInstanceOf(ResourceExistsException);
  });

  it('serves Powertools Parameters\' SecretsProvider unchanged', async () => {
    await client.send(new CreateSecretCommand({ Name: 'powertools/json', SecretString: '{"current":"c","previous":"p"}' }));
    const provider = new SecretsProvider({
      clientConfig: { region: TWIN_REGION, credentials: TWIN_CREDENTIALS, endpoint: twin.endpoint },
    });
    expect(await provider.get('powertools/json', { transform: 'json' })).toEqual({ current: 'c', previous: 'p' });
  });
});
