/**
 * Errors of the data layer, in the project's tree (lib/shared/errors.ts). A decision that lost
 * the race to another writer is not an error: commitDecision reports it as an outcome.
 */
import { SilkrouteError } from '#shared/errors.ts';

/** The stock and capacity items a cancelled commit could not take. */
export interface Exhausted {
  readonly stock: readonly { readonly warehouseId: string; readonly sku: string }[];
  readonly capacity: readonly { readonly departureId: string }[];
}

/** A reservation's condition failed: the stock or the rail capacity is no longer there. */
export class SupplyExhaustedError extends SilkrouteError {
  override readonly name: string = 'SupplyExhaustedError';
  readonly exhausted: Exhausted;
  constructor(exhausted: Exhausted, options?: { cause?: unknown }) {
    super(describeExhausted(exhausted), options);
    this.exhausted = exhausted;
  }
}

/** Stock ran out for at least one (warehouse, SKU) of the decision (capacity may have too). */
export class OutOfStockError extends SupplyExhaustedError {
  override readonly name: string = 'OutOfStockError';
}

/** A rail departure of the decision has no room left for the order's litres. */
export class OutOfCapacityError extends SupplyExhaustedError {
  override readonly name: string = 'OutOfCapacityError';
}

// Also an error of the application layer (lib/orders), which does not import lib/store: its home is lib/shared.
export { MissingDataError } from '#shared/errors.ts';

function describeExhausted(exhausted: Exhausted): string {
  const parts = [
    ...exhausted.stock.map((s) => `stock of ${s.sku} at ${s.warehouseId}`),
    ...exhausted.capacity.map((c) => `capacity of departure ${c.departureId}`),
  ];
  return `not enough ${parts.join(', ')}`;
}
