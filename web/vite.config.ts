import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The build output is embedded into the cxm binary (see scripts/embed.mjs);
// `npm run dev` proxies the API to a local `cxm serve`.
export default defineConfig({
  plugins: [svelte()],
  build: {
    target: 'es2020',
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
