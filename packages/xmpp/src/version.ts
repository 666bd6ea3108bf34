/**
 * XEP-0092 (Software Version) §2: an IQ get with an empty
 * `<query xmlns='jabber:iq:version'/>` is answered with `<name/>` and
 * `<version/>` (`<os/>` is optional and we do not disclose it). Every
 * entity on the gateway's domain answers alike (docs/behaviour.md §5).
 */
import type { IqRouter } from "./iq-router.js";
import { packageVersion } from "./package-info.js";
import { xml } from "./xml.js";

export const NS_VERSION = "jabber:iq:version";

export function version({
  iq,
  name = "bitcoIM",
  version = packageVersion,
}: {
  iq: IqRouter;
  name?: string;
  version?: string;
}): { readonly name: string; readonly version: string } {
  iq.get(NS_VERSION, "query", () =>
    xml("query", { xmlns: NS_VERSION }, xml("name", {}, name), xml("version", {}, version)),
  );
  return { name, version };
}
