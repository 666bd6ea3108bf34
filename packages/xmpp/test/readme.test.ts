import { runReadmeExample } from "@bitcoim/test-utils";
import { expect, it } from "vitest";

it("the README's usage example runs through a real Prosody and prints what it says", async () => {
  const stdout = await runReadmeExample(new URL("..", import.meta.url));
  expect(stdout).toContain("registration: result");
  expect(stdout).toMatch(/^Balance: 0 BTC$/m);
}, 60_000);
