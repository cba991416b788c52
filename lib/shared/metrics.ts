/**
 * Business metrics: emitted by the worker with Powertools Metrics (EMF) and graphed and alarmed
 * on by the CDK monitoring construct. Defined once so a renamed metric cannot leave a dashboard
 * staring at nothing.
 */
export const METRICS = {
  namespace: 'Silkroute',
  service: 'silkroute',
  /** Count, dimension `mode` (direct-parcel | overseas-warehouse | rail-to-warehouse | split). */
  ordersRouted: 'OrdersRouted',
  /** Count of orders decided `unroutable`. */
  ordersUnroutable: 'OrdersUnroutable',
  /** Saving against the cheapest feasible direct parcel, in EUR (None unit). */
  savingsVsDirectEur: 'SavingsVsDirectEur',
  /** From the order's receipt to its committed decision, milliseconds. */
  decisionLatencyMs: 'DecisionLatencyMs',
  /** Commits that lost stock or capacity to a concurrent order and were routed again. */
  reroutesOnContention: 'ReroutesOnContention',
  /** The outbox sweep: age of the oldest order still `received` (seconds, Maximum). */
  oldestReceivedOrderAgeSeconds: 'OldestReceivedOrderAgeSeconds',
  /** The outbox sweep: orders whose message was sent again (Count). */
  ordersRequeued: 'OrdersRequeued',
} as const;
