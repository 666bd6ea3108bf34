/** XEP-0356 §4.2 advertisements as the gateway reads them (unit: the stanzas are plain elements). */
import { describe, expect, it } from "vitest";
import { createPrivileges, NS_PRIVILEGE_1, NS_PRIVILEGE_2 } from "../src/privilege.js";
import { xml } from "../src/xml.js";

const advert = (from: string, ns: string, ...perms: [string, string][]) =>
  xml(
    "message",
    { from, to: "bitcoin.example.org" },
    xml(
      "privilege",
      { xmlns: ns },
      ...perms.map(([access, type]) => xml("perm", { access, type })),
    ),
  );

describe("privileges", () => {
  it("reads roster access per host, in both namespaces", () => {
    const p = createPrivileges();
    expect(
      p.take(advert("example.org", NS_PRIVILEGE_2, ["message", "outgoing"], ["roster", "both"])),
    ).toBe(true);
    expect(p.take(advert("other.example", NS_PRIVILEGE_1, ["roster", "set"]))).toBe(true);
    expect([p.roster("example.org"), p.roster("Other.Example"), p.roster("third.example")]).toEqual(
      ["both", "set", "none"],
    );
    expect(p.canSetRoster("example.org")).toBe(true);
    expect(p.canSetRoster("third.example")).toBe(false);
  });

  it("read-only, unknown or missing roster access cannot set", () => {
    const p = createPrivileges();
    p.take(advert("a.example", NS_PRIVILEGE_2, ["roster", "get"]));
    p.take(advert("b.example", NS_PRIVILEGE_2, ["roster", "everything"]));
    p.take(advert("c.example", NS_PRIVILEGE_2, ["message", "outgoing"]));
    for (const host of ["a.example", "b.example", "c.example"])
      expect(p.canSetRoster(host)).toBe(false);
    expect(p.roster("b.example")).toBe("none");
  });

  it("a later advertisement replaces the earlier one; forget drops all", () => {
    const p = createPrivileges();
    p.take(advert("example.org", NS_PRIVILEGE_2, ["roster", "both"]));
    p.take(advert("example.org", NS_PRIVILEGE_2, ["roster", "none"]));
    expect(p.canSetRoster("example.org")).toBe(false);
    p.take(advert("example.org", NS_PRIVILEGE_2, ["roster", "both"]));
    p.forget();
    expect(p.canSetRoster("example.org")).toBe(false);
  });

  it("only a host grants: one from a user or a resource is swallowed and grants nothing", () => {
    const p = createPrivileges();
    for (const from of ["mallory@example.org", "example.org/res", "mallory@example.org/res", ""]) {
      expect(p.take(advert(from, NS_PRIVILEGE_2, ["roster", "both"]))).toBe(true);
    }
    expect(p.canSetRoster("example.org")).toBe(false);
    expect(p.roster("mallory@example.org")).toBe("none");
  });

  it("other stanzas are left to the dispatcher", () => {
    const p = createPrivileges();
    expect(p.take(xml("message", { from: "example.org" }, xml("body", {}, "hello")))).toBe(false);
    expect(
      p.take(xml("iq", { from: "example.org" }, xml("privilege", { xmlns: NS_PRIVILEGE_2 }))),
    ).toBe(false);
    expect(
      p.take(xml("message", { from: "example.org" }, xml("privilege", { xmlns: "urn:example" }))),
    ).toBe(false);
  });
});
