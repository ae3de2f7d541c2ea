import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // the guest build cache of the CLI and the run workers (src/main/guest-cache.ts): not the user's
    env: { DISCO_LAB_GUEST_CACHE: join(tmpdir(), `disco-lab-test-guest-cache-${process.getuid?.() ?? 'user'}`) },
  },
});
