import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Served by the authorization server under /account (apps/authorization-server/src/web-apps);
// built by tools/build/web.ts into dist/web/account.
export default defineConfig({
  base: '/account/',
  plugins: [react()],
  resolve: { alias: { '@platform/web': fileURLToPath(new URL('../../libs/web/src/index.ts', import.meta.url)) } },
  build: { sourcemap: true, chunkSizeWarningLimit: 1500 },
});
