/**
 * What a handler gets from the Lambda runtime besides its event: a context object with the
 * same fields the Node.js runtime provides, so middy, Powertools and the handlers' own
 * timeout logic behave as in AWS.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { SilkrouteError } from '#shared/errors.ts';
import { TWIN_ACCOUNT_ID, TWIN_REGION } from './env.ts';

/** A Lambda handler as the functions/ modules export it (async; no callback style on Node 24). */
export type LambdaHandler<E = unknown, R = unknown> = (event: E, context: Context) => Promise<R> | R;

export interface FunctionSettings {
  readonly functionName: string;
  /** The function's configured timeout; getRemainingTimeInMillis counts down from it. */
  readonly timeoutSeconds?: number;
  readonly memoryMb?: number;
}

/** A fresh context for one invocation (new awsRequestId, deadline = now + timeout). */
export function createLambdaContext(settings: FunctionSettings, now: () => number = Date.now): Context {
  const timeoutMs = (settings.timeoutSeconds ?? 3) * 1000;
  const deadline = now() + timeoutMs;
  const name = settings.functionName;
  const date = new Date(now()).toISOString().slice(0, 10).replaceAll('-', '/');
  const unsupported = (what: string) => () => {
    throw new Error(`context.${what} is not supported: return a value or throw from an async handler`);
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${TWIN_REGION}:${TWIN_ACCOUNT_ID}:function:${name}`,
    memoryLimitInMB: String(settings.memoryMb ?? 128),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: `${date}/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - now()),
    done: unsupported('done'),
    fail: unsupported('fail'),
    succeed: unsupported('succeed'),
  };
}

/**
 * Runs one invocation with the function's timeout: past the deadline the invocation counts as
 * failed ("Task timed out"), as Lambda reports it. Unlike Lambda, the handler's promise is not
 * frozen; its late result is ignored.
 */
export async function invoke<E, R>(handler: LambdaHandler<E, R>, event: E, settings: FunctionSettings): Promise<R> {
  const context = createLambdaContext(settings);
  const timeoutMs = (settings.timeoutSeconds ?? 3) * 1000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new LambdaTimeoutError(settings.functionName, settings.timeoutSeconds ?? 3)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([Promise.resolve().then(() => handler(event, context)), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The invocation ran past the function's timeout. */
export class LambdaTimeoutError extends SilkrouteError {
  override readonly name: string = 'LambdaTimeoutError';
  constructor(functionName: string, timeoutSeconds: number) {
    super(`${functionName}: Task timed out after ${timeoutSeconds.toFixed(2)} seconds`);
  }
}
