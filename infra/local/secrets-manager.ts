/**
 * A minimal Secrets Manager twin: the AWS JSON 1.1 protocol over HTTP (POST /, X-Amz-Target
 * `secretsmanager.<Operation>`), in memory. Enough for @aws-sdk/client-secrets-manager and
 * Powertools Parameters' SecretsProvider to work unchanged: CreateSecret, PutSecretValue,
 * GetSecretValue, DescribeSecret, with AWSCURRENT/AWSPREVIOUS staging on rotation. With `file`
 * the store is kept on disk (written before each change is answered), so `npm start` keeps the
 * webhook secrets across a crash; the file lives under the twin's state directory (.twin/).
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SilkrouteError } from '#shared/errors.ts';
import { TWIN_ACCOUNT_ID, TWIN_REGION } from './env.ts';
import { closeServer, listen } from './net.ts';

/** An error answered in the AWS JSON shape `{ __type, message }`. */
export class SecretsManagerFault extends SilkrouteError {
  override readonly name: string = 'SecretsManagerFault';
  readonly type: string;
  readonly status: number;
  constructor(type: string, message: string, status = 400) {
    super(message);
    this.type = type;
    this.status = status;
  }
}

interface SecretVersion {
  readonly versionId: string;
  readonly secretString?: string;
  /** base64, as on the wire. */
  readonly secretBinary?: string;
  readonly createdDate: number;
  stages: string[];
}

interface Secret {
  readonly name: string;
  readonly arn: string;
  readonly description?: string;
  readonly createdDate: number;
  lastChangedDate: number;
  readonly versions: Map<string, SecretVersion>;
}

type Json = Record<string, unknown>;

const notFound = () =>
  new SecretsManagerFault('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");

/** The in-memory store behind the HTTP twin; one method per supported operation. */
export class SecretsStore {
  readonly #secrets = new Map<string, Secret>();
  readonly #region: string;
  readonly #clock: () => number;

  readonly #file: string | undefined;

  constructor(options: { region?: string; clock?: () => number; file?: string } = {}) {
    this.#region = options.region ?? TWIN_REGION;
    this.#clock = options.clock ?? Date.now;
    this.#file = options.file;
    if (this.#file !== undefined && existsSync(this.#file)) {
      const saved = JSON.parse(readFileSync(this.#file, 'utf8')) as (Omit<Secret, 'versions'> & { versions: SecretVersion[] })[];
      for (const secret of saved) {
        this.#secrets.set(secret.name, { ...secret, versions: new Map(secret.versions.map((v) => [v.versionId, v])) });
      }
    }
  }

  /** Writes the whole store (small: a few secrets per shop) to a temporary file, then renames it. */
  #save(): void {
    if (this.#file === undefined) return;
    const data = [...this.#secrets.values()].map((secret) => ({ ...secret, versions: [...secret.versions.values()] }));
    writeFileSync(`${this.#file}.tmp`, JSON.stringify(data));
    renameSync(`${this.#file}.tmp`, this.#file);
  }

  /** Runs one operation by its X-Amz-Target name. */
  dispatch(operation: string, input: Json): Json {
    switch (operation) {
      case 'CreateSecret': {
        const out = this.createSecret(input);
        this.#save();
        return out;
      }
      case 'PutSecretValue': {
        const out = this.putSecretValue(input);
        this.#save();
        return out;
      }
      case 'GetSecretValue':
        return this.getSecretValue(input);
      case 'DescribeSecret':
        return this.describeSecret(input);
      default:
        throw new SecretsManagerFault('UnknownOperationException', `Operation ${operation} is not supported by the local twin`);
    }
  }

  createSecret(input: Json): Json {
    const name = requireString(input, 'Name');
    if (this.#secrets.has(name)) {
      throw new SecretsManagerFault('ResourceExistsException', `The operation failed because the secret ${name} already exists.`);
    }
    const now = this.#seconds();
    const secret: Secret = {
      name,
      // AWS appends 6 random characters to the ARN; derive them from the name so ARNs are stable.
      arn: `arn:aws:secretsmanager:${this.#region}:${TWIN_ACCOUNT_ID}:secret:${name}-${createHash('sha256').update(name).digest('hex').slice(0, 6)}`,
      ...(typeof input.Description === 'string' ? { description: input.Description } : {}),
      createdDate: now,
      lastChangedDate: now,
      versions: new Map(),
    };
    this.#secrets.set(name, secret);
    const value = valueOf(input);
    if (value === undefined) return { ARN: secret.arn, Name: name };
    const version = this.#addVersion(secret, input, value);
    return { ARN: secret.arn, Name: name, VersionId: version.versionId };
  }

  putSecretValue(input: Json): Json {
    const secret = this.#find(input);
    const value = valueOf(input);
    if (value === undefined) {
      throw new SecretsManagerFault('InvalidParameterException', 'You must provide either SecretString or SecretBinary.');
    }
    const version = this.#addVersion(secret, input, value);
    return { ARN: secret.arn, Name: secret.name, VersionId: version.versionId, VersionStages: [...version.stages] };
  }

  getSecretValue(input: Json): Json {
    const secret = this.#find(input);
    const versionId = typeof input.VersionId === 'string' ? input.VersionId : undefined;
    const stage = typeof input.VersionStage === 'string' ? input.VersionStage : versionId === undefined ? 'AWSCURRENT' : undefined;
    const version = [...secret.versions.values()].find(
      (v) => (versionId === undefined || v.versionId === versionId) && (stage === undefined || v.stages.includes(stage)),
    );
    if (version === undefined) {
      throw new SecretsManagerFault(
        'ResourceNotFoundException',
        "Secrets Manager can't find the specified secret value for " + (versionId !== undefined ? `VersionId: ${versionId}` : `staging label: ${stage}`),
      );
    }
    return {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: version.versionId,
      ...(version.secretString !== undefined ? { SecretString: version.secretString } : {}),
      ...(version.secretBinary !== undefined ? { SecretBinary: version.secretBinary } : {}),
      VersionStages: [...version.stages],
      CreatedDate: version.createdDate,
    };
  }

  describeSecret(input: Json): Json {
    const secret = this.#find(input);
    return {
      ARN: secret.arn,
      Name: secret.name,
      ...(secret.description !== undefined ? { Description: secret.description } : {}),
      CreatedDate: secret.createdDate,
      LastChangedDate: secret.lastChangedDate,
      VersionIdsToStages: Object.fromEntries(
        [...secret.versions.values()].filter((v) => v.stages.length > 0).map((v) => [v.versionId, [...v.stages]]),
      ),
    };
  }

  #find(input: Json): Secret {
    const id = requireString(input, 'SecretId');
    const secret = this.#secrets.get(id) ?? [...this.#secrets.values()].find((s) => s.arn === id);
    if (secret === undefined) throw notFound();
    return secret;
  }

  #addVersion(secret: Secret, input: Json, value: { secretString?: string; secretBinary?: string }): SecretVersion {
    // The SDK fills ClientRequestToken with a fresh UUID; a retry carries the same one.
    const token = typeof input.ClientRequestToken === 'string' ? input.ClientRequestToken : randomUUID();
    const existing = secret.versions.get(token);
    if (existing !== undefined) {
      if (existing.secretString === value.secretString && existing.secretBinary === value.secretBinary) return existing;
      throw new SecretsManagerFault(
        'ResourceExistsException',
        `You can't modify an existing version, you can only create a new version. VersionId: ${token}`,
      );
    }
    for (const v of secret.versions.values()) {
      // Rotation semantics: the old AWSCURRENT becomes AWSPREVIOUS; older versions lose their labels.
      v.stages = v.stages.includes('AWSCURRENT') ? ['AWSPREVIOUS'] : v.stages.filter((s) => s !== 'AWSPREVIOUS');
    }
    const version: SecretVersion = { versionId: token, ...value, createdDate: this.#seconds(), stages: ['AWSCURRENT'] };
    secret.versions.set(token, version);
    secret.lastChangedDate = version.createdDate;
    return version;
  }

  #seconds(): number {
    // The JSON protocol carries timestamps as epoch seconds (fractions allowed).
    return this.#clock() / 1000;
  }
}

function requireString(input: Json, field: string): string {
  const value = input[field];
  if (typeof value !== 'string' || value === '') {
    throw new SecretsManagerFault('InvalidParameterException', `${field} is required.`);
  }
  return value;
}

function valueOf(input: Json): { secretString?: string; secretBinary?: string } | undefined {
  if (typeof input.SecretString === 'string') return { secretString: input.SecretString };
  if (typeof input.SecretBinary === 'string') return { secretBinary: input.SecretBinary };
  return undefined;
}

export interface SecretsManagerTwin {
  readonly endpoint: string;
  readonly port: number;
  readonly store: SecretsStore;
  stop(): Promise<void>;
}

/** Starts the Secrets Manager twin on `host:port` (port 0 = ephemeral). */
export async function startSecretsManager(options: { port?: number; host?: string; file?: string } = {}): Promise<SecretsManagerTwin> {
  const host = options.host ?? '127.0.0.1';
  const store = new SecretsStore(options.file === undefined ? {} : { file: options.file });
  const server = createServer((req, res) => {
    void handle(store, req, res);
  });
  await listen(server, options.port ?? 0, host);
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://${host}:${port}`,
    port,
    store,
    stop: () => closeServer(server),
  };
}

async function handle(store: SecretsStore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const target = req.headers['x-amz-target'];
  try {
    if (req.method !== 'POST' || typeof target !== 'string' || !target.startsWith('secretsmanager.')) {
      throw new SecretsManagerFault('UnknownOperationException', 'Expected POST / with X-Amz-Target: secretsmanager.<Operation>');
    }
    const text = Buffer.concat(chunks).toString('utf8');
    let input: unknown;
    try {
      input = text === '' ? {} : JSON.parse(text);
    } catch {
      throw new SecretsManagerFault('SerializationException', 'The request body is not valid JSON.');
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new SecretsManagerFault('SerializationException', 'The request body must be a JSON object.');
    }
    send(res, 200, store.dispatch(target.slice('secretsmanager.'.length), input as Json));
  } catch (error) {
    if (error instanceof SecretsManagerFault) {
      send(res, error.status, { __type: error.type, message: error.message });
    } else {
      send(res, 500, { __type: 'InternalServiceError', message: 'Internal error in the Secrets Manager twin' });
    }
  }
}

function send(res: ServerResponse, status: number, body: Json): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(text);
}
