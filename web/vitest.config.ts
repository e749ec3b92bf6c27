import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Unit tests of the web client's modules (src/**/*.test.ts), run in Node;
// the browser tests of whole pages are in e2e/. The Svelte plugin compiles
// the runes of *.svelte.ts modules (the message catalogues' language is one).
export default defineConfig({
  plugins: [svelte()],
  // Every area's messages, as the facilitator's part loads them.
  test: { include: ['src/**/*.test.ts'], environment: 'node', setupFiles: ['src/lib/facilitatorMessages.ts'] },
});
