/**
 * Small socket helpers shared by the twin's servers: listening without unhandled 'error'
 * events, a clear error for a taken port, and closing servers that SDK clients keep alive.
 */
import { createServer, type Server } from 'node:http';
import { SilkrouteError } from '#shared/errors.ts';

/** A fixed port of the twin is taken; the message names the port and the variable that moves it. */
export class PortInUseError extends SilkrouteError {
  override readonly name: string = 'PortInUseError';
  override readonly expose = true;
  readonly port: number;
  readonly variable: string;
  constructor(port: number, variable: string, options?: { cause?: unknown }) {
    super(
      `port ${port} is already in use on 127.0.0.1; stop what is using it or set ${variable} to another port (e.g. ${variable}=${port + 1} npm start)`,
      options,
    );
    this.port = port;
    this.variable = variable;
  }
}

/** Listens and turns "address in use" into a rejected promise instead of an unhandled event. */
export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** True when the error is the OS saying the address is taken. */
export function isAddressInUse(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'EADDRINUSE';
}

/**
 * Fails with PortInUseError when `port` on `host` cannot be bound. Port 0 always passes.
 * Used before starting servers that swallow listen errors (aws-ses-v2-local's express).
 */
export async function assertPortFree(port: number, variable: string, host = '127.0.0.1'): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  try {
    await listen(probe, port, host);
  } catch (error) {
    if (isAddressInUse(error)) throw new PortInUseError(port, variable, { cause: error });
    throw error;
  }
  await closeServer(probe);
}

/** Closes a node:http server, including idle keep-alive sockets held by SDK clients. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

/** Reads a port from an environment variable: unset → the default; anything but 0–65535 → error. */
export function portFromEnv(env: NodeJS.ProcessEnv, variable: string, fallback: number): number {
  const raw = env[variable];
  if (raw === undefined || raw.trim() === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new SilkrouteError(`${variable}=${raw} is not a port number (0–65535)`);
  }
  return port;
}
