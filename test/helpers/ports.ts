/** A loopback port held by a bare server, for tests of what happens when a port is taken. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HeldPort {
  readonly port: number;
  release(): Promise<void>;
}

export async function holdPort(): Promise<HeldPort> {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  return {
    port: (blocker.address() as AddressInfo).port,
    release: () => new Promise<void>((resolve) => blocker.close(() => resolve())),
  };
}
