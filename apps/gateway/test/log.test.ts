import { describe, expect, it } from "vitest";
import { recordLog } from "./helpers.js";

describe("the logger", () => {
  it("writes structured lines at the configured level and up, secrets censored", () => {
    const { log, entries } = recordLog("warn");
    log.info({ a: 1 }, "dropped");
    log.warn({ config: { secret: "s3cret", host: "h" } }, "kept");
    log.child({ loop: "deposits" }).fatal({}, "fatal too");
    expect(entries.map((e) => e.msg)).toEqual(["kept", "fatal too"]);
    expect(entries[0]).toMatchObject({
      level: 40,
      name: "bitcoim",
      config: { secret: "***", host: "h" },
    });
    expect(entries[1]).toMatchObject({ level: 60, loop: "deposits" });
  });
});
