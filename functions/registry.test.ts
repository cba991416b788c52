import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { FUNCTIONS, type FunctionName } from '#shared/definitions.ts';
import { HANDLERS } from './registry.ts';

const ROOT = resolve(import.meta.dirname, '..');

beforeAll(() => {
  // What the stack gives every function; values only have to pass config validation.
  vi.stubEnv('AWS_REGION', 'eu-central-1');
  vi.stubEnv('TABLE_NAME', 'silkroute-test');
  vi.stubEnv('ORDERS_QUEUE_URL', 'https://sqs.eu-central-1.amazonaws.com/000000000000/orders');
  vi.stubEnv('NOTIFICATIONS_QUEUE_URL', 'https://sqs.eu-central-1.amazonaws.com/000000000000/notifications');
  vi.stubEnv('EMAIL_FROM', 'routing@silkroute.example');
  vi.stubEnv('WEBHOOK_SECRETS_PREFIX', 'silkroute/test/webhooks/');
  vi.stubEnv('ACTION_LINK_SIGNING_NAME', 'silkroute/test/action-links');
  vi.stubEnv('PUBLIC_API_URL', 'https://api.silkroute.example');
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
});

describe('the handler registry', () => {
  it('has one entry per function of FUNCTIONS', () => {
    expect(Object.keys(HANDLERS).sort()).toEqual(Object.keys(FUNCTIONS).sort());
  });

  it.each(Object.keys(FUNCTIONS) as FunctionName[])('%s loads the very handler its FUNCTIONS entry (what CDK bundles) exports', async (name) => {
    const fromRegistry = await HANDLERS[name]();
    const fromEntry = ((await import(pathToFileURL(resolve(ROOT, FUNCTIONS[name].entry)).href)) as { handler: unknown }).handler;
    expect(typeof fromRegistry).toBe('function');
    expect(fromRegistry).toBe(fromEntry);
  });
});

describe('cold-start settings', () => {
  it.each(Object.keys(FUNCTIONS) as FunctionName[])('%s imports ./cold-start.ts before anything else', async (name) => {
    const { readFile } = await import('node:fs/promises');
    const source = await readFile(resolve(ROOT, FUNCTIONS[name].entry), 'utf8');
    const firstImport = /^import\s[^;]*;/m.exec(source)?.[0];
    expect(firstImport).toBe("import './cold-start.ts';");
  });

  it('leaves zod without its code generation once a handler is loaded', async () => {
    const z = await import('zod');
    await HANDLERS.router();
    expect(z.config().jitless).toBe(true);
  });
});
