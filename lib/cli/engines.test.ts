/**
 * `npx silkroute` and `npm ci` run under the machine's npm, on the machine's Node (20 here); the
 * code runs on the Node 24 the `node` devDependency puts first on the PATH of every npm script
 * and npx bin. The root `engines` declares what npm needs, so a clean run prints no
 * `npm warn EBADENGINE` for the project itself (docs/decisions/0050).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { delimiter } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;
/** The PATH without the project's node_modules/.bin: npm and npx as a user's shell finds them. */
const PATH = (process.env.PATH ?? '').split(delimiter).filter((p) => !p.includes('node_modules')).join(delimiter);
const env = { ...process.env, PATH, npm_config_update_notifier: 'false' };
const sh = (cmd: string, args: string[]) => {
  try {
    return execFileSync(cmd, args, { cwd: ROOT, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) + '';
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return `${e.stdout ?? ''}${e.stderr ?? ''}`;
  }
};
/** stdout and stderr of a command, whatever its exit code. */
const both = (cmd: string, args: string[]) => {
  const r = spawnSync(cmd, args, { cwd: ROOT, env, encoding: 'utf8' });
  return { out: r.stdout ?? '', err: r.stderr ?? '' };
};

describe('engines', () => {
  it("accepts the Node that runs the machine's npm, while the scripts run on the pinned Node 24", () => {
    const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { engines: { node: string }; devDependencies: Record<string, string> };
    const hostMajor = Number(sh('node', ['-p', 'process.versions.node.split(".")[0]']).trim());
    const floor = Number(/^>=(\d+)/.exec(pkg.engines.node)?.[1]);
    expect(floor).toBeLessThanOrEqual(hostMajor);
    expect(pkg.devDependencies.node).toMatch(/^24\./);
    expect(sh('npx', ['node', '--version']).trim()).toMatch(/^v24\./);
  });

  it('npm ci says nothing about the project engine, and npx silkroute prints no npm warning', () => {
    const install = both('npm', ['ci', '--dry-run']);
    expect(install.err).not.toMatch(/package: 'silkroute@/);
    const run = both('npx', ['silkroute', 'validate', '--data', 'data/demo']);
    expect(run.err).not.toMatch(/npm warn/i);
    expect(run.out).toMatch(/valid|ok|sellers/i);
  });
});
