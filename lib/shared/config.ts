/**
 * Function configuration: read from the environment once, at init, and validated with zod, so a
 * missing or malformed variable fails the cold start with a message naming it instead of failing
 * deep inside the first request. Variable names come from ENV in definitions.ts (one definition
 * for the CDK stack, the local twin and the code).
 */
// A namespace import lets esbuild drop what is unused (the named `z` drags in all of zod and its locales).
import * as z from 'zod';
import { ENV, RETENTION, SWEEP } from './definitions.ts';
import { SilkrouteError } from './errors.ts';
import { humanIssue } from './zod-messages.ts';

const Schema = z.object({
  tableName: z.string().min(1),
  ordersQueueUrl: z.url(),
  notificationsQueueUrl: z.url(),
  emailFrom: z.email(),
  /** A name prefix such as `silkroute/prod/webhooks/`; secrets are `<prefix><platform>/<shop>`. */
  secretsPrefix: z.string().min(1),
  snapshotTtlSeconds: z.coerce.number().int().nonnegative().default(60),
  sweepOlderThanSeconds: z.coerce.number().int().nonnegative().default(SWEEP.olderThanSeconds),
  buyerDataRetentionDays: z.coerce.number().int().positive().default(RETENTION.buyerDataDays),
  /** The Secrets Manager name of the one-click link signing key, e.g. `silkroute/prod/action-links`. */
  actionLinkSigningName: z.string().min(1),
  /** The API's public base URL: links in emails point here. */
  publicApiUrl: z.url(),
});

export type Config = z.infer<typeof Schema>;
export type ConfigName = keyof typeof ENV;

/** The environment is missing a variable or holds a malformed one. */
export class ConfigError extends SilkrouteError {
  override readonly name: string = 'ConfigError';
}

/**
 * Reads and validates the named settings (only those: a function does not need every variable).
 * @example const config = loadConfig(['tableName', 'ordersQueueUrl']);
 */
export function loadConfig<K extends ConfigName>(
  names: readonly K[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): Pick<Config, K> {
  const mask = Object.fromEntries(names.map((n) => [n, true])) as Partial<Record<ConfigName, true>>;
  const raw = Object.fromEntries(
    names.map((n) => {
      const value = env[ENV[n]];
      // An empty variable is as good as a missing one (CDK and shells both produce them).
      return [n, value === '' ? undefined : value];
    }),
  );
  const result = Schema.pick(mask).safeParse(raw, { error: humanIssue });
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const name = issue.path[0] as ConfigName;
      const value = raw[name];
      return `${ENV[name]}: ${value === undefined ? 'missing' : issue.message}`;
    });
    throw new ConfigError(`invalid configuration: ${lines.join('; ')}`);
  }
  return result.data as unknown as Pick<Config, K>;
}
