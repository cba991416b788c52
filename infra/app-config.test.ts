import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ValidationError } from '#shared/errors.ts';
import { readAppConfig } from './app-config.ts';
import { STAGES } from './stages.ts';

const ctx = (values: Record<string, unknown>) => (key: string) => values[key];

function issuesOf(fn: () => unknown): { path: string; message: string }[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return [...(error as ValidationError).issues];
  }
  throw new Error('expected a ValidationError');
}

describe('app configuration from context', () => {
  it('defaults to dev and leaves account and region to the environment (env-agnostic offline synth)', () => {
    const config = readAppConfig(ctx({ sesIdentity: 'routing@silkroute.example' }), {});
    expect(config.stage).toBe(STAGES.dev);
    expect(config.env).toEqual({ account: undefined, region: undefined });
    expect(config.alarmEmail).toBeUndefined();
  });

  it('takes account and region from CDK_DEFAULT_ACCOUNT and CDK_DEFAULT_REGION', () => {
    const config = readAppConfig(ctx({ sesIdentity: 'a@b.io' }), { CDK_DEFAULT_ACCOUNT: '123456789012', CDK_DEFAULT_REGION: 'eu-central-1' });
    expect(config.env).toEqual({ account: '123456789012', region: 'eu-central-1' });
  });

  it('sends as the address itself for an email identity', () => {
    fc.assert(
      fc.property(fc.constantFrom('ops', 'routing', 'a.b'), fc.constantFrom('yiwu-export.cn', 'silkroute.io'), (local, domain) => {
        const identity = `${local}@${domain}`;
        const config = readAppConfig(ctx({ sesIdentity: identity }), {});
        expect(config.ses).toEqual({ identity, kind: 'email', from: identity });
      }),
    );
  });

  it('sends as routing@<domain> for a domain identity unless emailFrom names another address there', () => {
    expect(readAppConfig(ctx({ sesIdentity: 'silkroute.io' }), {}).ses).toEqual({ identity: 'silkroute.io', kind: 'domain', from: 'routing@silkroute.io' });
    expect(readAppConfig(ctx({ sesIdentity: 'silkroute.io', emailFrom: 'orders@silkroute.io' }), {}).ses.from).toBe('orders@silkroute.io');
  });

  it('rejects a From address the identity does not cover', () => {
    expect(issuesOf(() => readAppConfig(ctx({ sesIdentity: 'silkroute.io', emailFrom: 'orders@elsewhere.io' }), {}))).toEqual([
      expect.objectContaining({ path: 'emailFrom' }),
    ]);
    expect(issuesOf(() => readAppConfig(ctx({ sesIdentity: 'a@silkroute.io', emailFrom: 'b@silkroute.io' }), {}))).toEqual([
      expect.objectContaining({ path: 'emailFrom' }),
    ]);
  });

  it('refuses the documentation placeholder identity in prod but accepts it in dev', () => {
    expect(readAppConfig(ctx({ stage: 'dev', sesIdentity: 'routing@silkroute.example' }), {}).stage.name).toBe('dev');
    const issues = issuesOf(() => readAppConfig(ctx({ stage: 'prod', sesIdentity: 'routing@silkroute.example' }), {}));
    expect(issues).toEqual([expect.objectContaining({ path: 'sesIdentity', message: expect.stringContaining('prod') })]);
  });

  it('treats an empty alarmEmail (the cdk.json default) as none, and validates a given one', () => {
    expect(readAppConfig(ctx({ sesIdentity: 'a@b.io', alarmEmail: '' }), {}).alarmEmail).toBeUndefined();
    expect(readAppConfig(ctx({ sesIdentity: 'a@b.io', alarmEmail: 'ops@b.io' }), {}).alarmEmail).toBe('ops@b.io');
  });

  it('reports every problem at once, each naming its context key', () => {
    const issues = issuesOf(() => readAppConfig(ctx({ stage: 'staging', sesIdentity: 'not a domain', alarmEmail: 'nope' }), {}));
    expect(issues.map((i) => i.path).sort()).toEqual(['alarmEmail', 'sesIdentity', 'stage']);
    expect(issues.find((i) => i.path === 'stage')?.message).toContain('dev, prod');
  });

  it('requires a sending identity', () => {
    expect(issuesOf(() => readAppConfig(ctx({}), {}))).toEqual([expect.objectContaining({ path: 'sesIdentity' })]);
  });

  it('keeps prod stricter than dev: retained data, deletion protection, longer logs, more headroom', () => {
    expect(STAGES.prod.tableDeletionProtection).toBe(true);
    expect(STAGES.dev.tableDeletionProtection).toBe(false);
    expect(STAGES.prod.logRetention).toBeGreaterThan(STAGES.dev.logRetention);
    expect(STAGES.prod.throttle.rateLimit).toBeGreaterThan(STAGES.dev.throttle.rateLimit);
  });
});
