import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["@bitcoim/source"] },
  ssr: { resolve: { conditions: ["@bitcoim/source"] } },
  test: { include: ["test/**/*.test.ts"] },
});
