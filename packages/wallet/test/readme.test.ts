import { runReadmeExample } from "@bitcoim/test-utils";
import { expect, it } from "vitest";

it("the README's usage example runs and prints what it says", async () => {
  const stdout = await runReadmeExample(new URL("..", import.meta.url));
  expect(stdout).toContain("1500000n 1500n 0,015");
  expect(stdout).toContain("AMOUNT_EXPONENT");
  expect(stdout).toContain(
    "1bvbmseystwetqtfn5au4m4gfg7xjanvn2-3asdjr 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2",
  );
  expect(stdout).toContain("[ 'seen 0.25 to alice@example.org' ]");
  expect(stdout).toContain("[ 'confirmed 0.25 to alice@example.org' ]");
});
