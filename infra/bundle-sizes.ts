/**
 * Bundle sizes after synthesis: which asset directory holds each function's code, and how many
 * bytes of JavaScript Lambda loads at a cold start (the source map is counted apart).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import type { FunctionName } from '#shared/definitions.ts';
import type { SilkrouteStack } from './silkroute-stack.ts';
import { SilkrouteError } from '#shared/errors.ts';

export interface BundleSize {
  /** The bundle Lambda loads (index.mjs). */
  readonly codeBytes: number;
  /** Its external source map (read only when a stack trace is printed). */
  readonly sourceMapBytes: number;
  readonly assetDir: string;
}

interface AssetManifest {
  readonly files?: Record<string, { readonly source: { readonly path?: string } }>;
}

function sizeOf(file: string): number {
  return fs.existsSync(file) ? fs.statSync(file).size : 0;
}

/** Reads each function's bundle size from a synthesized assembly. */
export function bundleSizes(assembly: CloudAssembly, stack: SilkrouteStack): Record<FunctionName, BundleSize> {
  const artifact = assembly.getStackByName(stack.stackName);
  const manifestFile = path.join(assembly.directory, `${artifact.id}.assets.json`);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as AssetManifest;
  const template = artifact.template as { Resources: Record<string, { Properties?: { Code?: { S3Key?: unknown } } }> };
  const result: Partial<Record<FunctionName, BundleSize>> = {};
  for (const [name, f] of Object.entries(stack.functions) as [FunctionName, SilkrouteStack['functions'][FunctionName]][]) {
    const logicalId = stack.getLogicalId(f.fn.node.defaultChild as CfnFunction);
    const key = template.Resources[logicalId]?.Properties?.Code?.S3Key;
    const hash = typeof key === 'string' ? key.replace(/\.zip$/, '') : undefined;
    const source = hash === undefined ? undefined : manifest.files?.[hash]?.source.path;
    if (source === undefined) throw new SilkrouteError(`no bundled asset found for ${name} (${logicalId})`);
    const assetDir = path.join(assembly.directory, source);
    result[name] = {
      codeBytes: sizeOf(path.join(assetDir, 'index.mjs')),
      sourceMapBytes: sizeOf(path.join(assetDir, 'index.mjs.map')),
      assetDir,
    };
  }
  return result as Record<FunctionName, BundleSize>;
}

/** `webhooks  412.3 KB (+ 1.2 MB map)` lines for the synth output. */
export function formatBundleSizes(sizes: Record<string, BundleSize>): string {
  const kb = (n: number): string => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${(n / 1024).toFixed(1)} KB`);
  const width = Math.max(...Object.keys(sizes).map((k) => k.length));
  return Object.entries(sizes)
    .map(([name, s]) => `  ${name.padEnd(width)}  ${kb(s.codeBytes).padStart(9)}  (+ ${kb(s.sourceMapBytes)} source map)`)
    .join('\n');
}
