/**
 * Test helpers for the CDK tests: the context cdk.json gives the CLI (feature flags included), so
 * an in-process synth behaves like `npm run synth`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from './app.ts';

/** cdk.json's "context", merged under the given overrides. */
export function cliContext(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const cdkJson = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  return { ...cdkJson.context, ...overrides };
}
