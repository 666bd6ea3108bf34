import { runReadmeExample } from "@bitcoim/test-utils";
import { expect, it } from "vitest";

it("the README's usage example runs and prints what it says", async () => {
  const stdout = await runReadmeExample(new URL("..", import.meta.url));
  expect(stdout).toMatch(/^confirm with code [a-z2-9]{4}$/m);
  expect(stdout).toMatch(/^second confirm: ALREADY_PAID$/m);
  expect(stdout).toMatch(/^on-chain, about 2820 sat in fees$/m);
  expect(stdout).toMatch(/^sent in [0-9a-f]{64}, fee \d+ sat$/m);
  expect(stdout).toMatch(/^alice has 0\.5999\d+ BTC$/m);
});
