/**
 * Least privilege, held to the code: every DynamoDB action a function is granted (FUNCTIONS[x].tableActions,
 * which infra/silkroute-stack.test.ts holds the template to) must be one its bundled code can make,
 * and every DynamoDB command in its bundle must be granted or named below as bundled-but-never-called.
 * The bundle is the function's real entry, tree-shaken by esbuild as the deploy bundles it (not minified,
 * so command classes keep their names).
 */
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS, type FunctionName, type TableAction } from '#shared/definitions.ts';
import { PROJECT_ROOT } from './app.ts';

const NAMES = Object.keys(FUNCTIONS) as FunctionName[];

/**
 * Code that esbuild keeps but no path of the function calls: an object of repository methods is
 * bundled whole when one of them is used. Each entry says which and why it is not granted.
 */
const BUNDLED_NOT_CALLED: Partial<Record<FunctionName, Partial<Record<TableAction, string>>>> = {
  api: { UpdateItem: "createOrderStore's markFailed and markNotified come with getOrderForSeller; no API route calls them" },
};

/** The DynamoDB actions the text of a bundle can make. */
function actionsIn(code: string): Set<TableAction> {
  const out = new Set<TableAction>();
  const command: [RegExp, TableAction][] = [
    [/new GetCommand\d*\(/, 'GetItem'],
    [/new PutCommand\d*\(/, 'PutItem'],
    [/new UpdateCommand\d*\(/, 'UpdateItem'],
    [/new DeleteCommand\d*\(/, 'DeleteItem'],
    [/new QueryCommand\d*\(/, 'Query'],
    [/new ScanCommand\d*\(/, 'Scan'],
    [/new BatchGetCommand\d*\(/, 'BatchGetItem'],
    [/new BatchWriteCommand\d*\(/, 'BatchWriteItem'],
    [/new TransactGetCommand\d*\(/, 'GetItem'],
  ];
  for (const [pattern, action] of command) if (pattern.test(code)) out.add(action);
  if (/new TransactWriteCommand\d*\(/.test(code)) {
    // Transaction members are object literals keyed by their operation.
    const member: [RegExp, TableAction][] = [
      [/\bPut:\s*\{/, 'PutItem'],
      [/\bUpdate:\s*\{/, 'UpdateItem'],
      [/\bDelete:\s*\{/, 'DeleteItem'],
      [/\bConditionCheck:\s*\{/, 'ConditionCheckItem'],
    ];
    for (const [pattern, action] of member) if (pattern.test(code)) out.add(action);
  }
  return out;
}

async function bundle(name: FunctionName): Promise<string> {
  const result = await build({
    entryPoints: [`${PROJECT_ROOT}/${FUNCTIONS[name].entry}`],
    absWorkingDir: PROJECT_ROOT,
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    treeShaking: true,
    minify: false,
    // The SDK's own sources name every command; only our code decides which are sent.
    packages: 'external',
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

describe('DynamoDB grants match the code', () => {
  it.each(NAMES)('%s: every granted action is one its code makes, every action its code makes is granted', async (name) => {
    const used = actionsIn(await bundle(name));
    const granted = new Set<TableAction>(FUNCTIONS[name].tableActions ?? []);
    const exempt = new Set(Object.keys(BUNDLED_NOT_CALLED[name] ?? {}) as TableAction[]);
    expect([...granted].filter((a) => !used.has(a)), `${name} is granted actions its code never makes`).toEqual([]);
    expect([...used].filter((a) => !granted.has(a) && !exempt.has(a)), `${name} makes calls it is not granted`).toEqual([]);
    // An exemption must still be true (present in the bundle), or it is stale.
    for (const action of exempt) expect(used.has(action), `${name}: stale exemption ${action}`).toBe(true);
  }, 60_000);

  it('grants no function Scan or BatchWriteItem, and the API no delete (it writes stock reports, shipments and cancellations)', () => {
    for (const name of NAMES) {
      expect(FUNCTIONS[name].tableActions ?? []).not.toContain('Scan');
      expect(FUNCTIONS[name].tableActions ?? []).not.toContain('BatchWriteItem');
    }
    expect(FUNCTIONS.api.tableActions.filter((a) => ['PutItem', 'UpdateItem', 'DeleteItem'].includes(a))).toEqual(['UpdateItem', 'PutItem']);
  });
});
