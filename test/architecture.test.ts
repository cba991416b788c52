/**
 * The layering of docs/architecture.md, enforced: every import statement of every source file
 * (tests excluded: a test may reach anything it exercises) is checked against the rules below.
 * The rules are also run on a synthetic import graph, so a rule that could never fail is caught.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const SOURCE_DIRS = ['lib', 'functions', 'infra', 'bin', 'bench'];

/** One import: from a file to a module (a repository path such as `lib/store/commit.ts`, or a package). */
export interface Edge {
  readonly from: string;
  readonly to: string;
  /** `import type` / `export type`: erased at build time, no code dependency. */
  readonly typeOnly: boolean;
}

export interface Rule {
  /** Files under this prefix… */
  readonly from: string;
  /** …may not import modules under any of these prefixes (a package name counts as a prefix). */
  readonly deny: readonly string[];
  /** `import type` is allowed (the shape of a record, never its code). */
  readonly typesAllowed?: boolean;
  readonly why: string;
}

const AWS = ['@aws-sdk/', '@aws-lambda-powertools/', '@middy/', 'aws-cdk-lib', 'constructs'];
const ADAPTERS = ['lib/store/', 'lib/email/', 'lib/api/', 'lib/marketplaces/', 'lib/http/', 'lib/cli/'];

export const RULES: readonly Rule[] = [
  { from: 'lib/', deny: ['functions/', 'infra/', 'bin/', 'bench/'], why: 'lib/ is beneath the handlers, the infrastructure and the tools' },
  { from: 'lib/shared/', deny: ['lib/network/', 'lib/routing/', 'lib/orders/', ...ADAPTERS, ...AWS], why: 'lib/shared is the bottom: plain definitions for everyone' },
  { from: 'lib/network/', deny: ['lib/routing/', 'lib/orders/', ...ADAPTERS, ...AWS], why: 'the network model knows no routing, no use case and no I/O' },
  { from: 'lib/routing/', deny: ['lib/orders/', ...ADAPTERS, ...AWS], why: 'the routing core is pure: no store, no use case, no email, no HTTP, no AWS SDK' },
  {
    from: 'lib/orders/',
    deny: [...ADAPTERS, ...AWS],
    typesAllowed: true,
    why: 'use cases reach the outside world only through their ports (lib/orders/ports.ts); they may name a stored record\'s type',
  },
  { from: 'lib/http/', deny: ['lib/network/', 'lib/routing/', 'lib/orders/', 'lib/store/', 'lib/email/', 'lib/api/', 'lib/marketplaces/', 'lib/cli/'], why: 'the HTTP layer sits beneath lib/api and lib/marketplaces and knows neither' },
  { from: 'lib/store/', deny: ['lib/orders/', 'lib/api/', 'lib/email/', 'lib/cli/'], why: 'adapters implement the ports; they never call the use cases' },
  { from: 'lib/email/', deny: ['lib/orders/', 'lib/api/', 'lib/marketplaces/', 'lib/cli/'], why: 'the email adapter renders and sends; it calls no use case' },
  { from: 'lib/marketplaces/', deny: ['lib/api/'], why: 'the webhook edge and the seller API share lib/http, not each other' },
  { from: 'lib/api/', deny: ['lib/marketplaces/'], why: 'the webhook edge and the seller API share lib/http, not each other' },
  {
    from: 'lib/planning/',
    deny: ['lib/orders/', ...ADAPTERS, ...AWS],
    why: 'planning is pure over the routing core, plus the cut-off email use case over its own ports; the store, SES and HTTP are wired in functions/',
  },
];

export function violations(edges: readonly Edge[], rules: readonly Rule[] = RULES): string[] {
  const out: string[] = [];
  for (const edge of edges) {
    for (const rule of rules) {
      if (!edge.from.startsWith(rule.from)) continue;
      if (rule.typesAllowed === true && edge.typeOnly) continue;
      const denied = rule.deny.find((prefix) => edge.to === prefix.replace(/\/$/, '') || edge.to.startsWith(prefix));
      if (denied !== undefined) out.push(`${edge.from} imports ${edge.to}: ${rule.why}`);
    }
  }
  return out;
}

const ALIASES: Record<string, string> = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).imports;

/** The module an import specifier names: a repository path, or the package name. */
export function resolveSpecifier(from: string, specifier: string): string {
  if (specifier.startsWith('.')) return relative(ROOT, resolve(ROOT, dirname(from), specifier));
  for (const [alias, target] of Object.entries(ALIASES)) {
    const prefix = alias.replace(/\*$/, '');
    if (specifier.startsWith(prefix)) return join(target.replace(/\*$/, ''), specifier.slice(prefix.length)).replace(/^\.\//, '');
  }
  if (specifier.startsWith('node:')) return specifier;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

const STATIC = /^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;
const DYNAMIC = /^(?!\s*(?:\*|\/\/)).*?\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;

/** The imports of one source text (static, re-exports, side-effect and literal dynamic imports). */
export function importsOf(file: string, text: string): Edge[] {
  const edges: Edge[] = [];
  for (const m of text.matchAll(STATIC)) edges.push({ from: file, to: resolveSpecifier(file, m[3]!), typeOnly: m[2] !== undefined });
  for (const m of text.matchAll(DYNAMIC)) edges.push({ from: file, to: resolveSpecifier(file, m[1]!), typeOnly: false });
  return edges;
}

function sourceFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'test-fixtures') walk(path);
      } else if (path.endsWith('.ts') && !path.endsWith('.test.ts') && !/test-fixtures\.ts$|testing\.ts$|fixtures\.ts$/.test(path)) {
        out.push(path);
      }
    }
  };
  for (const dir of SOURCE_DIRS) walk(dir);
  return out;
}

describe('layering (docs/architecture.md)', () => {
  const edges = sourceFiles().flatMap((file) => importsOf(file, readFileSync(join(ROOT, file), 'utf8')));

  it('reads the import graph of the source files', () => {
    // The parser finds what is there: a sanity floor against a regex that silently matches nothing.
    expect(edges.length).toBeGreaterThan(200);
    expect(edges).toContainEqual({ from: 'functions/route-orders.ts', to: 'lib/orders/route-order.ts', typeOnly: false });
    expect(edges).toContainEqual({ from: 'lib/orders/ports.ts', to: 'lib/store/order-record.ts', typeOnly: true });
    expect(edges).toContainEqual({ from: 'functions/registry.ts', to: 'functions/api.ts', typeOnly: false });
  });

  it('has no import from a lower layer to a higher one', () => {
    expect(violations(edges)).toEqual([]);
  });
});

describe('the layering rules on a synthetic graph', () => {
  const edge = (from: string, to: string, typeOnly = false): Edge => ({ from, to, typeOnly });

  it.each([
    ['lib/routing/route.ts', 'lib/store/commit.ts'],
    ['lib/routing/route.ts', 'lib/orders/route-order.ts'],
    ['lib/routing/route.ts', 'lib/email/render.ts'],
    ['lib/routing/route.ts', 'lib/api/routes.ts'],
    ['lib/routing/route.ts', 'lib/marketplaces/webhook.ts'],
    ['lib/routing/route.ts', '@aws-sdk/client-dynamodb'],
    ['lib/marketplaces/webhook.ts', 'lib/api/routes.ts'],
    ['lib/api/routes.ts', 'lib/marketplaces/order-id.ts'],
    ['lib/store/commit.ts', 'lib/orders/route-order.ts'],
    ['lib/store/commit.ts', 'functions/route-orders.ts'],
    ['lib/shared/config.ts', 'infra/local/env.ts'],
    ['lib/orders/route-order.ts', 'lib/store/commit.ts'],
    ['lib/http/http.ts', 'lib/api/routes.ts'],
  ])('refuses %s → %s', (from, to) => {
    expect(violations([edge(from, to)])).toHaveLength(1);
  });

  it('allows the downward imports, and a use case naming a stored record only as a type', () => {
    expect(
      violations([
        edge('functions/route-orders.ts', 'lib/orders/route-order.ts'),
        edge('lib/orders/route-order.ts', 'lib/routing/route.ts'),
        edge('lib/orders/ports.ts', 'lib/store/order-record.ts', true),
        edge('lib/store/commit.ts', 'lib/routing/decision.ts'),
        edge('lib/api/routes.ts', 'lib/http/http.ts'),
        edge('lib/marketplaces/webhook.ts', 'lib/http/http.ts'),
        edge('infra/local/start.ts', 'functions/registry.ts'),
      ]),
    ).toEqual([]);
  });

  it('parses static, type-only, re-exported, side-effect and dynamic imports, and resolves aliases and relative paths', () => {
    const text = [
      "import { a } from '#store/commit.ts';",
      "import type { B } from './ports.ts';",
      "export { c } from '../routing/money.ts';",
      "import {\n  d,\n  e,\n} from '@aws-sdk/lib-dynamodb';",
      "import 'node:fs';",
      "const f = await import('#email/render.ts');",
      " * @example import x from '#api/routes.ts' (a comment, not an import)",
    ].join('\n');
    expect(importsOf('lib/orders/x.ts', text)).toEqual([
      edge('lib/orders/x.ts', 'lib/store/commit.ts'),
      edge('lib/orders/x.ts', 'lib/orders/ports.ts', true),
      edge('lib/orders/x.ts', 'lib/routing/money.ts'),
      edge('lib/orders/x.ts', '@aws-sdk/lib-dynamodb'),
      edge('lib/orders/x.ts', 'node:fs'),
      edge('lib/orders/x.ts', 'lib/email/render.ts'),
    ]);
  });
});
