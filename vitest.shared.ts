import { defineConfig, type ViteUserConfig } from "vitest/config";

type TestOptions = NonNullable<ViteUserConfig["test"]>;

/**
 * What every workspace package's tests share: workspace packages resolve to
 * their TypeScript sources (the `@bitcoim/source` export condition, so no
 * build comes first), tests live in `test/`, and a JSON report feeds the
 * root summary. Real servers take their time to start: generous timeouts.
 */
export function packageTestConfig(test: TestOptions = {}) {
  return defineConfig({
    resolve: { conditions: ["@bitcoim/source"] },
    ssr: { resolve: { conditions: ["@bitcoim/source"] } },
    test: {
      reporters: ["default", "json"],
      outputFile: { json: ".vitest/report.json" },
      include: ["test/**/*.test.ts"],
      testTimeout: 60_000,
      hookTimeout: 60_000,
      ...test,
    },
  });
}
