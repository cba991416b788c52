/**
 * The in-process synth tests cannot see a mismatch between the `cdk` CLI and aws-cdk-lib (the CLI
 * must read the cloud assembly schema the library writes — aws-cdk 3.0 cannot read 2.276's). This
 * runs `cdk synth` exactly as DevOps do, offline, and checks the templates it writes.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const out = mkdtempSync(join(tmpdir(), 'silkroute-cdk-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('cdk synth from the command line', () => {
  it('synthesises the dev stack offline with the pinned CLI, cdk-nag clean, Node 24 functions', () => {
    const result = spawnSync('npx', ['cdk', 'synth', '--quiet', '--output', out], {
      cwd: process.cwd(),
      encoding: 'utf8',
      env: { ...process.env, CDK_DEFAULT_ACCOUNT: '', CDK_DEFAULT_REGION: '', AWS_PROFILE: '' },
      timeout: 120_000,
    });
    expect(result.stderr).not.toMatch(/schema version mismatch|AwsSolutions-|Serverless-/);
    expect(result.status, result.stderr).toBe(0);
    const template = join(out, 'silkroute-dev.template.json');
    expect(existsSync(template)).toBe(true);
    const resources = Object.values(
      (JSON.parse(readFileSync(template, 'utf8')) as { Resources: Record<string, { Type: string; Properties?: { Runtime?: string } }> }).Resources,
    );
    const runtimes = resources.filter((r) => r.Type === 'AWS::Lambda::Function').map((r) => r.Properties?.Runtime);
    expect(runtimes.length).toBeGreaterThanOrEqual(4);
    expect(new Set(runtimes.filter((r) => r !== undefined && r.startsWith('nodejs')))).toEqual(new Set(['nodejs24.x']));
  }, 150_000);
});
