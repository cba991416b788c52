import { describe, expect, it } from 'vitest';
import { allowedMethods, catchAllRoutes, ROUTES } from './definitions.ts';

describe('allowed methods of a request path (405 with Allow)', () => {
  it('names the methods ROUTES declares at a literal path', () => {
    expect(allowedMethods('/v1/quotes')).toEqual(['POST']);
    expect(allowedMethods('/openapi.json')).toEqual(['GET']);
  });

  it('matches path templates segment by segment, ignoring a trailing slash', () => {
    expect(allowedMethods('/v1/orders/ord_123')).toEqual(['GET']);
    expect(allowedMethods('/v1/orders/ord_123/reroute/')).toEqual(['POST']);
    expect(allowedMethods('/v1/orders/ord_1/shipments/2/shipped')).toEqual(['POST']);
  });

  it('is undefined for a path no route has, so it stays a 404', () => {
    expect(allowedMethods('/v1/nothing')).toBeUndefined();
    expect(allowedMethods('/v1/orders')).toBeUndefined();
    expect(allowedMethods('/v1/orders//reroute')).toBeUndefined();
  });

  it('gives every declared path exactly one catch-all, to the function of its first route', () => {
    const paths = [...new Set(ROUTES.map((r) => r.path))];
    expect(catchAllRoutes().map((r) => r.path)).toEqual(paths);
    for (const { path, function: fn } of catchAllRoutes()) expect(fn).toBe(ROUTES.find((r) => r.path === path)!.function);
  });
});
