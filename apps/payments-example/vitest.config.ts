import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["@bitcoim/source"] },
  ssr: { resolve: { conditions: ["@bitcoim/source"] } },
  test: {
    reporters: ["default", "json"],
    outputFile: { json: ".vitest/report.json" },
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
