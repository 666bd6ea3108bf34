import { runReadmeExample } from "@bitcoim/test-utils";
import { expect, it } from "vitest";

it("the README's usage example runs and prints what it says", async () => {
  const stdout = await runReadmeExample(new URL("..", import.meta.url));
  expect(stdout).toContain("credited 0.25 BTC to alice@example.org");
  expect(stdout).toMatch(/^alice: 0\.2 BTC$/m);
  expect(stdout).toMatch(/^bob: 0\.05 BTC$/m);
  expect(stdout).toMatch(/^audit: ok$/m);
});
