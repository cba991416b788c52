/**
 * GET /openapi.json as a generator reads it: every operation has an operationId and a
 * description, every request and response body an example, no long regex; and the types
 * openapi-typescript generates from the document compile against every example (tsc on a file
 * asserting each example `satisfies` its generated type), while each example also parses with
 * the zod schema that validates it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import openapiTS from 'openapi-typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { WEBHOOK_PAYLOADS } from '#marketplaces/webhook.ts';
import { BASE_COMPONENTS } from '#routing/shipment.ts';
import { ReasonCode } from '#routing/decision.ts';
import { MAX_PATTERN_CHARS, openApiDocument } from './openapi.ts';

type Json = Record<string, any>;
const doc = openApiDocument(WEBHOOK_PAYLOADS) as Json;
const METHODS = ['get', 'post', 'put', 'delete', 'patch'];

function operations(): { path: string; method: string; op: Json }[] {
  return Object.entries(doc.paths as Record<string, Json>).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => ({ path, method, op: op as Json })),
  );
}

/** Every body of the document: where it is, as a generated type expression, and its example. */
function bodies(): { where: string; type: string; example: unknown }[] {
  const out: { where: string; type: string; example: unknown }[] = [];
  for (const { path, method, op } of operations()) {
    const operation = `operations[${JSON.stringify(op.operationId)}]`;
    for (const [media, content] of Object.entries((op.requestBody?.content ?? {}) as Record<string, Json>)) {
      out.push({ where: `${method} ${path} request ${media}`, type: `NonNullable<${operation}['requestBody']>['content'][${JSON.stringify(media)}]`, example: content.example });
    }
    for (const [status, response] of Object.entries((op.responses ?? {}) as Record<string, Json>)) {
      for (const [media, content] of Object.entries((response.content ?? {}) as Record<string, Json>)) {
        out.push({ where: `${method} ${path} ${status} ${media}`, type: `${operation}['responses'][${JSON.stringify(status)}]['content'][${JSON.stringify(media)}]`, example: content.example });
      }
    }
  }
  return out;
}

describe('the OpenAPI document for readers and generators', () => {
  it('gives every operation a unique operationId and a description', () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThan(10);
    for (const { path, method, op } of ops) {
      expect(op.operationId, `${method} ${path}`).toMatch(/^[a-z][A-Za-z]+$/);
      expect(String(op.description ?? '').length, `${method} ${path} description`).toBeGreaterThan(20);
    }
    const ids = ops.map((o) => o.op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('has an example for every request and response body', () => {
    const missing = bodies().filter((b) => b.example === undefined && !b.where.endsWith('text/html')).map((b) => b.where);
    expect(missing).toEqual([]);
  });

  it('names cost components and reason codes as enums, and shows no long regular expression', () => {
    // the base components by name; fees are named by duties.json (import rules v2), so any fee name is allowed beside them
    expect(doc.components.schemas.CostComponentName.anyOf[0].enum).toEqual([...BASE_COMPONENTS]);
    expect(doc.components.schemas.CostComponentName.anyOf[1].pattern).toBe('^[a-z][a-z0-9-]*$');
    expect(doc.components.schemas.ReasonCode.enum).toEqual([...ReasonCode.options]);
    expect(JSON.stringify(doc.components.schemas.Decision)).toContain('#/components/schemas/CostComponentName');
    const patterns: string[] = [];
    JSON.stringify(doc, (key, value) => (key === 'pattern' && typeof value === 'string' && value.length > MAX_PATTERN_CHARS ? void patterns.push(value) : value));
    expect(patterns).toEqual([]);
  });

  const dir = mkdtempSync(join(tmpdir(), 'silkroute-openapi-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('generates types with openapi-typescript that every example satisfies (tsc)', async () => {
    writeFileSync(join(dir, 'api.ts'), await openapiTS(doc as never));
    const checks = bodies()
      .filter((b) => b.example !== undefined)
      .map((b, i) => `// ${b.where}\nexport const example${i} = ${JSON.stringify(b.example)} satisfies ${b.type};`);
    expect(checks.length).toBeGreaterThan(20);
    writeFileSync(join(dir, 'examples.ts'), `import type { operations } from './api.ts';\n\n${checks.join('\n\n')}\n`);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, noEmit: true, target: 'es2022', module: 'nodenext', allowImportingTsExtensions: true, skipLibCheck: true, types: [] }, files: ['examples.ts'] }),
    );
    const tsc = resolve('node_modules/.bin/tsc');
    let output = '';
    try {
      execFileSync(tsc, ['-p', dir], { encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    expect(output).toBe('');
  });

  it('the type check can fail: an example that breaks its type is reported', async () => {
    writeFileSync(join(dir, 'api.ts'), await openapiTS(doc as never));
    writeFileSync(join(dir, 'examples.ts'), `import type { operations } from './api.ts';\nexport const bad = { orderId: 'x', status: 'nope' } satisfies operations['rerouteOrder']['responses']['202']['content']['application/json'];\n`);
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: 'nodenext', allowImportingTsExtensions: true, skipLibCheck: true, types: [] }, files: ['examples.ts'] }));
    expect(() => execFileSync(resolve('node_modules/.bin/tsc'), ['-p', dir], { encoding: 'utf8', stdio: 'pipe' })).toThrow();
  });
});
