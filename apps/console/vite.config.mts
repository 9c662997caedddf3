import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Served by the authorization server under /console (apps/authorization-server/src/web-apps);
// built by tools/build/web.ts into dist/web/console.
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  resolve: {
    alias: {
      '@platform/web': fileURLToPath(new URL('../../libs/web/src/index.ts', import.meta.url)),
      // For the scope and permission catalogue (platform-scopes.ts).
      '@platform/contracts': fileURLToPath(new URL('../../libs/shared/contracts/src/index.ts', import.meta.url)),
    },
  },
  build: {
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
    // @platform/contracts has no module side effects: what the console does not import stays out of the bundle.
    rollupOptions: { treeshake: { moduleSideEffects: (id) => !id.includes('/libs/shared/contracts/') } },
  },
});
