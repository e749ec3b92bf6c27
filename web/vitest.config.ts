import { defineConfig } from 'vitest/config';

// Unit tests of the web client's modules (src/**/*.test.ts), run in Node;
// the browser tests of whole pages are in e2e/.
export default defineConfig({
  test: { include: ['src/**/*.test.ts'], environment: 'node' },
});
