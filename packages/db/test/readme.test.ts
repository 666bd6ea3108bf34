import { runReadmeExample } from "@bitcoim/test-utils";
import { expect, it } from "vitest";

it("the README's usage example runs and prints what it says", async () => {
  const stdout = await runReadmeExample(new URL("..", import.meta.url));
  expect(stdout).toContain("opened pglite:memory on pglite");
  expect(stdout).toMatch(/migrations applied: 0000_initial, 0001_ledger_rules(, \w+)*\n/);
  expect(stdout).toMatch(/^wallet_inflow: 0 sat$/m);
});
