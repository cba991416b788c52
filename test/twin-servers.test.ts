import { connect } from 'node:net';
import { DescribeTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, ListQueuesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { CreateSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV, QUEUES, TABLE } from '../lib/shared/definitions.ts';
import { applyEnv, ENDPOINT_VARIABLES, TWIN_CREDENTIALS, TWIN_EMAIL_FROM, TWIN_REGION, twinEnv } from '../infra/local/env.ts';
import { startGateway } from '../infra/local/gateway.ts';
import { assertPortFree, PortInUseError, portFromEnv } from '../infra/local/net.ts';
import { createResources, type TwinResources } from '../infra/local/resources.ts';
import { startServers, startSesServer, type TwinServers } from '../infra/local/servers.ts';
import { holdPort, type HeldPort } from './helpers/ports.ts';

const portOf = (url: string) => Number(new URL(url).port);

function refuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('twin servers and resources', () => {
  let servers: TwinServers;
  let resources: TwinResources;
  const clientConfig = { region: TWIN_REGION, credentials: TWIN_CREDENTIALS };

  beforeAll(async () => {
    servers = await startServers({ sesPort: 0 });
    const dynamodb = new DynamoDBClient({ ...clientConfig, endpoint: servers.endpoints.dynamodb });
    const sqs = new SQSClient({ ...clientConfig, endpoint: servers.endpoints.sqs });
    resources = await createResources({ dynamodb, sqs });
    dynamodb.destroy();
    sqs.destroy();
  });
  afterAll(async () => {
    await servers.stop();
  });

  it('listens on loopback only', () => {
    for (const url of Object.values(servers.endpoints)) expect(new URL(url).hostname).toBe('127.0.0.1');
    expect(new URL(servers.inboxUrl).hostname).toBe('127.0.0.1');
  });

  it('creates the table from TABLE, with its keys and GSI', async () => {
    const client = new DynamoDBClient({ ...clientConfig, endpoint: servers.endpoints.dynamodb });
    const { Table } = await client.send(new DescribeTableCommand({ TableName: resources.tableName }));
    client.destroy();
    expect(Table?.TableName).toBe(TABLE.id);
    expect(Table?.KeySchema).toEqual([
      { AttributeName: TABLE.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: TABLE.sortKey.name, KeyType: 'RANGE' },
    ]);
    const gsi = Table?.GlobalSecondaryIndexes?.find((g) => g.IndexName === TABLE.globalSecondaryIndexes[0].indexName);
    expect(gsi?.KeySchema?.map((k) => k.AttributeName)).toEqual([
      TABLE.globalSecondaryIndexes[0].partitionKey.name,
      TABLE.globalSecondaryIndexes[0].sortKey.name,
    ]);
  });

  it('creates every queue from QUEUES with its visibility timeout and a redrive policy to its DLQ', async () => {
    const client = new SQSClient({ ...clientConfig, endpoint: servers.endpoints.sqs });
    for (const key of Object.keys(QUEUES) as (keyof typeof QUEUES)[]) {
      const q = resources.queues[key];
      const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl: q.url, AttributeNames: ['All'] }));
      expect(Attributes?.VisibilityTimeout).toBe(String(QUEUES[key].visibilityTimeoutSeconds));
      expect(JSON.parse(Attributes?.RedrivePolicy ?? '{}')).toEqual({
        deadLetterTargetArn: q.dlqArn,
        maxReceiveCount: QUEUES[key].maxReceiveCount,
      });
      expect(q.dlqArn.endsWith(`:${QUEUES[key].deadLetterQueueId}`)).toBe(true);
      expect(q.arn).toMatch(new RegExp(`^arn:aws:sqs:${TWIN_REGION}:\\d{12}:${QUEUES[key].id}$`));
    }
    client.destroy();
  });

  it('lets SDK clients with no endpoint configuration reach every server through the environment', async () => {
    const env = twinEnv({
      endpoints: servers.endpoints,
      tableName: resources.tableName,
      ordersQueueUrl: resources.queues.orders.url,
      notificationsQueueUrl: resources.queues.notifications.url,
    });
    expect(env[ENV.tableName]).toBe(TABLE.id);
    expect(env[ENV.emailFrom]).toBe('routing@silkroute.example');
    expect(env[ENV.secretsPrefix]).toBe('silkroute/local/webhooks/');
    expect(env[ENDPOINT_VARIABLES.secretsManager]).toBe(servers.endpoints.secretsManager);
    applyEnv(env); // this test file runs in its own process (vitest forks pool)

    const dynamodb = new DynamoDBClient({});
    const sqs = new SQSClient({});
    const ses = new SESv2Client({});
    const secrets = new SecretsManagerClient({});
    try {
      expect((await dynamodb.send(new ListTablesCommand({}))).TableNames).toContain(TABLE.id);
      expect((await sqs.send(new ListQueuesCommand({}))).QueueUrls).toContain(resources.queues.orders.url);
      // With the endpoint from the environment the SDK sends to the QueueUrl's own host: it must resolve.
      expect(new URL(resources.queues.orders.url).host).toBe(new URL(servers.endpoints.sqs).host);
      await sqs.send(new SendMessageCommand({ QueueUrl: resources.queues.notifications.url, MessageBody: '{}' }));
      await secrets.send(new CreateSecretCommand({ Name: 'env-check', SecretString: 'ok' }));
      expect((await secrets.send(new GetSecretValueCommand({ SecretId: 'env-check' }))).SecretString).toBe('ok');
      await ses.send(
        new SendEmailCommand({
          FromEmailAddress: TWIN_EMAIL_FROM,
          Destination: { ToAddresses: ['seller@example.com'] },
          Content: { Simple: { Subject: { Data: 'Route chosen' }, Body: { Text: { Data: 'rail' } } } },
        }),
      );
      const store = (await (await fetch(new URL('/store', servers.inboxUrl))).json()) as { emails: { subject: string }[] };
      expect(store.emails.map((e) => e.subject)).toContain('Route chosen');
      const inbox = await fetch(servers.inboxUrl);
      expect(inbox.status).toBe(200);
      expect(inbox.headers.get('content-type')).toMatch(/text\/html/);
    } finally {
      for (const c of [dynamodb, sqs, ses, secrets]) c.destroy();
    }
  });

  it('stop() closes every server', async () => {
    const other = await startServers({ sesPort: 0 });
    const ports = [...Object.values(other.endpoints), other.inboxUrl].map(portOf);
    for (const port of ports) expect(await refuses(port)).toBe(false);
    await other.stop();
    for (const port of ports) expect(await refuses(port)).toBe(true);
  });
});

describe('a port already in use', () => {
  let held: HeldPort;
  let port: number;
  beforeAll(async () => {
    held = await holdPort();
    port = held.port;
  });
  afterAll(() => held.release());

  it('is a clear error naming the port and the variable that overrides it', async () => {
    const error = await assertPortFree(port, 'PORT').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PortInUseError);
    expect((error as PortInUseError).message).toContain(`port ${port} is already in use`);
    expect((error as PortInUseError).message).toContain('set PORT');
  });

  it('is reported by the gateway and the SES inbox with their own variables', async () => {
    await expect(startGateway({ port, portVariable: 'PORT', routes: [] })).rejects.toThrow(new RegExp(`port ${port} .*PORT=`));
    await expect(startSesServer({ port })).rejects.toThrow(new RegExp(`port ${port} .*SES_PORT=`));
    await expect(startServers({ sesPort: port })).rejects.toBeInstanceOf(PortInUseError);
  });

  it('reads ports from the environment and refuses nonsense', () => {
    expect(portFromEnv({}, 'PORT', 3000)).toBe(3000);
    expect(portFromEnv({ PORT: '0' }, 'PORT', 3000)).toBe(0);
    expect(portFromEnv({ SES_PORT: '9005' }, 'SES_PORT', 8005)).toBe(9005);
    expect(() => portFromEnv({ PORT: 'abc' }, 'PORT', 3000)).toThrow(/PORT=abc/);
    expect(() => portFromEnv({ PORT: '70000' }, 'PORT', 3000)).toThrow(/PORT=70000/);
  });
});
