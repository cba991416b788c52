import { describe, expect, it } from 'vitest';
import { createLinkSecret } from './link-secret.ts';

describe('the link signing key', () => {
  it('reads the named secret once per max age, as a string', async () => {
    const asked: string[] = [];
    const secret = createLinkSecret('silkroute/test/action-links', { secrets: { get: async (name) => (asked.push(name), 'k'.repeat(40)) } });
    expect(await secret()).toBe('k'.repeat(40));
    expect(asked).toEqual(['silkroute/test/action-links']);
  });

  it('refuses a short or unreadable key, naming it', async () => {
    await expect(createLinkSecret('short', { secrets: { get: async () => 'abc' } })()).rejects.toThrow(/short must be a string of at least 32/);
    await expect(createLinkSecret('gone', { secrets: { get: async () => Promise.reject(new Error('ResourceNotFound')) } })()).rejects.toThrow(/gone could not be read/);
  });
});
