import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{lib,functions,infra,bin,test,bench}/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
  },
});
