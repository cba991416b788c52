/** The routing core's public surface: decide a route for an order, and what the decision reserves. */
export { route, reservationsOf } from './route.ts';
export { COMPONENTS, type ComponentName } from './evaluate.ts';
export { MAX_EXACT_LINES } from './split.ts';
export * from './decision.ts';
