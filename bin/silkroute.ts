#!/usr/bin/env node
/**
 * The `silkroute` command (ROUTING.md §8). Everything but the process wiring is in
 * lib/cli/main.ts, so tests run the same code in-process.
 */
import { runCli } from '../lib/cli/main.ts';

// exitCode, not exit(): stdout is flushed before the process ends, even when piped.
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
});
