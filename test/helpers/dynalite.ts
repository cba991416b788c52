/**
 * An in-memory dynalite (patched with TransactWriteItems/TransactGetItems, see
 * docs/decisions/0001-dynalite-transactions.md) on a free loopback port, for tests that talk real
 * DynamoDB protocol.
 */
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

interface DynaliteOptions {
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
  path?: string;
}

// dynalite is CommonJS without type declarations; load it through require and type what we use.
const require = createRequire(import.meta.url);
const dynalite = require('dynalite') as (options?: DynaliteOptions) => Server;

export interface DynaliteHandle {
  /** `http://127.0.0.1:<port>`, for clients built elsewhere (the local twin, another SDK). */
  readonly endpoint: string;
  /** A client bound to this server with dummy credentials. */
  readonly client: DynamoDBClient;
  /** Closes the client and the server; the data is gone afterwards. */
  stop(): Promise<void>;
}

/** Starts an in-memory dynalite on 127.0.0.1 (port chosen by the OS) whose tables become ACTIVE at once. */
export async function startDynalite(): Promise<DynaliteHandle> {
  // No path: memory-level store. 0 ms lifecycles: tables are usable as soon as CreateTable answers.
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  let stopped = false;
  return {
    endpoint,
    client,
    async stop() {
      if (stopped) return;
      stopped = true;
      client.destroy();
      server.closeAllConnections?.();
      await new Promise<void>((resolve, reject) => {
        server.close((err?: Error) => (err ? reject(err) : resolve()));
      });
    },
  };
}
