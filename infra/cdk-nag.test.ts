/**
 * The stack as `npm run synth` builds it: the real handlers bundled by esbuild, both cdk-nag packs
 * (AwsSolutions, Serverless) and CDK's own template validation. Zero unacknowledged findings,
 * errors or warnings; every bundle is an ESM module that Node 24 can load.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App, Stack, Validations, type Stage } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { ENV, FUNCTIONS, type FunctionName } from '#shared/definitions.ts';
import { buildApp, cdkJsonContext, PROJECT_ROOT } from './app.ts';
import { bundleSizes, type BundleSize } from './bundle-sizes.ts';
import type { SilkrouteStack } from './silkroute-stack.ts';

const NAMES = Object.keys(FUNCTIONS) as FunctionName[];
const FIXTURE = path.join(PROJECT_ROOT, 'infra/test-fixtures/handler.ts');
const realEntry = (name: FunctionName): string => path.join(PROJECT_ROOT, FUNCTIONS[name].entry);
/** Handlers still being written by other helpers fall back to the fixture (see the last test). */
const missing = NAMES.filter((n) => !fs.existsSync(realEntry(n)));

interface Finding {
  readonly plugin: string;
  readonly rule: string;
  readonly severity: string;
  readonly paths: string[];
}

/**
 * Synthesizes and collects every finding: validation-plugin violations of any severity (cdk-nag
 * v3 reports there, not as annotations) and stack annotations (errors and warnings).
 */
function synthFindings(app: App, stacks: Stack[]): { findings: Finding[]; thrown: unknown } {
  let thrown: unknown;
  try {
    app.synth();
  } catch (error) {
    // Errors fail synthesis in-memory; the report file still lists them all.
    thrown = error;
  }
  const outdir = (app as Stage).outdir;
  const reportFile = path.join(outdir, 'validation-report.json');
  const report = fs.existsSync(reportFile)
    ? (JSON.parse(fs.readFileSync(reportFile, 'utf8')) as {
        pluginReports: { pluginName: string; violations: { ruleName: string; severity: string; violatingConstructs: { constructPath: string }[] }[] }[];
      })
    : { pluginReports: [] };
  const findings: Finding[] = report.pluginReports.flatMap((r) =>
    r.violations.map((v) => ({ plugin: r.pluginName, rule: v.ruleName, severity: v.severity, paths: v.violatingConstructs.map((c) => c.constructPath) })),
  );
  // Annotations re-read the synthesized stacks; after a failed synth the report above has it all.
  for (const stack of thrown === undefined ? stacks : []) {
    const annotations = Annotations.fromStack(stack);
    for (const [severity, found] of [
      ['error', annotations.findError('*', Match.anyValue())],
      ['warning', annotations.findWarning('*', Match.anyValue())],
    ] as const) {
      for (const a of found) findings.push({ plugin: 'annotations', rule: String(a.entry.data), severity, paths: [a.id] });
    }
  }
  return { findings, thrown };
}

const outdirs: string[] = [];
const tmp = (label: string): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `silkroute-${label}-`));
  outdirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of outdirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the finding collector', () => {
  it('sees cdk-nag errors and warnings when they exist (so zero below means zero)', () => {
    const app = new App({ outdir: tmp('nag-control') });
    const stack = new Stack(app, 'Control');
    // Default memory and timeout, no tracing, an AWS managed policy: errors and warnings.
    new LambdaFunction(stack, 'Careless', { code: Code.fromInline('exports.handler=()=>{}'), handler: 'index.handler', runtime: Runtime.NODEJS_24_X });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
    const { findings, thrown } = synthFindings(app, [stack]);
    expect(thrown).toBeDefined();
    expect(findings.filter((f) => f.severity === 'error').map((f) => f.rule)).toContain('Serverless-LambdaDefaultMemorySize');
    expect(findings.filter((f) => f.severity === 'warning').map((f) => f.rule)).toContain('Serverless-LambdaTracing');
  });
});

interface Synthesized {
  readonly stack: SilkrouteStack;
  readonly result: { findings: Finding[]; thrown: unknown };
  readonly sizes: Record<FunctionName, BundleSize> | undefined;
}
const STAGES = ['dev', 'prod'] as const;
const synths = {} as Record<(typeof STAGES)[number], Synthesized>;

beforeAll(() => {
  for (const stage of STAGES) {
    // Bundling costs seconds and cdk-nag does not read the bundles: only prod builds them.
    const bundle = stage === 'prod';
    const built = buildApp({
      outdir: tmp(`synth-${stage}`),
      env: {},
      context: cdkJsonContext({
        stage,
        sesIdentity: stage === 'prod' ? 'silkroute.io' : 'routing@silkroute.example',
        alarmEmail: stage === 'prod' ? 'ops@silkroute.io' : '',
        'aws:cdk:bundling-stacks': bundle ? ['**'] : [],
      }),
      entries: Object.fromEntries(missing.map((n) => [n, FIXTURE])),
    });
    const result = synthFindings(built.app, [built.stack]);
    const sizes = bundle && result.thrown === undefined ? bundleSizes(built.app.synth(), built.stack) : undefined;
    synths[stage] = { stack: built.stack, result, sizes };
  }
});

describe.each(STAGES)('npm run synth (%s)', (stage) => {
  it('passes the AwsSolutions and Serverless packs with zero unacknowledged errors or warnings', () => {
    expect(synths[stage].result.findings).toEqual([]);
    expect(synths[stage].result.thrown).toBeUndefined();
  });

  it('acknowledges findings only with a specific reason', () => {
    const acknowledgements = synths[stage].stack.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
      .flatMap((m) => Object.entries(m.data as Record<string, string>));
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const [id, reason] of acknowledgements) {
      expect({ id, long: reason.length >= 60 }).toEqual({ id, long: true });
    }
  });
});

describe('the bundles (prod synth)', () => {
  const sizeOf = (name: FunctionName): BundleSize => {
    const size = synths.prod.sizes?.[name];
    if (size === undefined) throw new Error('the prod synth produced no bundles');
    return size;
  };

  it.each(NAMES)('%s is an ES module with a require shim, minified, with a linked source map', (name) => {
    const size = sizeOf(name);
    expect(size.codeBytes).toBeGreaterThan(0);
    expect(size.sourceMapBytes).toBeGreaterThan(0);
    const code = fs.readFileSync(path.join(size.assetDir, 'index.mjs'), 'utf8');
    expect(code.startsWith('import { createRequire as __silkrouteCreateRequire }')).toBe(true);
    // Minified: thousands of characters per line (source runs at ~40).
    expect(code.length / code.split('\n').length).toBeGreaterThan(1000);
    expect(code).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
  });

  it.each(NAMES)('%s loads under Node 24 and exports its handler', (name) => {
    const file = path.join(sizeOf(name).assetDir, 'index.mjs');
    // Config is validated at import: give each variable a well-formed stand-in (nothing is called).
    const env = {
      PATH: process.env.PATH ?? '',
      AWS_REGION: 'eu-central-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      [ENV.tableName]: 'silkroute-test',
      [ENV.ordersQueueUrl]: 'https://sqs.eu-central-1.amazonaws.com/123456789012/orders',
      [ENV.notificationsQueueUrl]: 'https://sqs.eu-central-1.amazonaws.com/123456789012/notifications',
      [ENV.emailFrom]: 'routing@silkroute.example',
      [ENV.secretsPrefix]: 'silkroute/test/webhooks/',
      [ENV.snapshotTtlSeconds]: '60',
      [ENV.actionLinkSigningName]: 'silkroute/test/action-links',
      [ENV.publicApiUrl]: 'https://api.silkroute.example',
    };
    const script = `const m = await import(${JSON.stringify(pathToFileURL(file).href)}); if (typeof m.handler !== 'function') { console.error('no handler export'); process.exit(3); }`;
    const run = spawnSync(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], { env, encoding: 'utf8', timeout: 30_000 });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  });
});

describe('the handlers', () => {
  it('all exist, so the synth above bundled the real ones (none left on the test fixture)', () => {
    expect(missing).toEqual([]);
  });
});
