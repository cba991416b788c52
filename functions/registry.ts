/**
 * Every Lambda handler of the service, by its name in FUNCTIONS (lib/shared/definitions.ts). The
 * local twin loads its handlers from here, so a renamed or missing handler is a type error, not a
 * warning at start. Loading is deferred (each entry is a static `import()`): a handler reads its
 * configuration when its module is evaluated, so the environment must be set first.
 */
import type { FunctionName } from '#shared/definitions.ts';

export const HANDLERS = {
  webhooks: async () => (await import('./webhooks.ts')).handler,
  api: async () => (await import('./api.ts')).handler,
  router: async () => (await import('./route-orders.ts')).handler,
  email: async () => (await import('./send-email.ts')).handler,
  sweep: async () => (await import('./sweep-outbox.ts')).handler,
  digest: async () => (await import('./send-digest.ts')).handler,
  planning: async () => (await import('./planning.ts')).handler,
  planEmail: async () => (await import('./send-plan-emails.ts')).handler,
  arrivals: async () => (await import('./arrive-lots.ts')).handler,
} as const satisfies Record<FunctionName, () => Promise<unknown>>;
