/**
 * The CDK app (cdk.json: `node infra/app.ts`). One stack per stage: `-c stage=dev|prod`, the
 * SES identity and alarm email from context, account and region from the CLI. Synth runs
 * offline and both cdk-nag packs check it; bundle sizes are printed after synthesis.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { FunctionName } from '#shared/definitions.ts';
import { readAppConfig, type AppConfig } from './app-config.ts';
import { bundleSizes, formatBundleSizes } from './bundle-sizes.ts';
import { SilkrouteStack } from './silkroute-stack.ts';

/** The repository root: FUNCTIONS[x].entry paths and package-lock.json are relative to it. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * cdk.json's "context" (stage defaults and feature flags) under the given overrides: what the CLI
 * hands the app, for in-process synthesis (tests, bench) that should behave like `npm run synth`.
 */
export function cdkJsonContext(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const cdkJson = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  return { ...cdkJson.context, ...overrides };
}

export interface BuildOptions {
  /** Extra context (tests); the CLI passes cdk.json and `-c` values through the environment. */
  readonly context?: Record<string, unknown>;
  readonly outdir?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly entries?: Partial<Record<FunctionName, string>>;
}

export interface BuiltApp {
  readonly app: App;
  readonly stack: SilkrouteStack;
  readonly config: AppConfig;
}

/** Builds the app and its stack; registers the AwsSolutions and Serverless cdk-nag packs. */
export function buildApp(options: BuildOptions = {}): BuiltApp {
  const app = new App({
    ...(options.context === undefined ? {} : { context: options.context }),
    ...(options.outdir === undefined ? {} : { outdir: options.outdir }),
  });
  const config = readAppConfig((key) => app.node.tryGetContext(key), options.env ?? process.env);
  const stack = new SilkrouteStack(app, `silkroute-${config.stage.name}`, {
    env: config.env,
    description: `Silkroute order routing (${config.stage.name})`,
    stage: config.stage,
    ses: config.ses,
    alarmEmail: config.alarmEmail,
    projectRoot: PROJECT_ROOT,
    ...(options.entries === undefined ? {} : { entries: options.entries }),
    terminationProtection: config.stage.name === 'prod',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  return { app, stack, config };
}

if (import.meta.main) {
  const { app, stack } = buildApp();
  const assembly = app.synth();
  // stderr: `cdk synth` prints the template on stdout.
  console.error(`bundles (${stack.stackName}):\n${formatBundleSizes(bundleSizes(assembly, stack))}`);
}
