/**
 * Discovery of the ad-hoc commands (XEP-0050 §2): the command list is the
 * items of node `http://jabber.org/protocol/commands` at each JID, only the
 * commands this requester may run there; each command node describes
 * itself as an `automation/command-node` (§2.3).
 */
import { NS_DISCO_INFO, NS_DISCO_ITEMS } from "../disco-root.js";
import type { Entity } from "../jids.js";
import { NS_DATA } from "../register-form.js";
import { type Element, xml } from "../xml.js";
import type { NodeDef } from "./nodes.js";
import { NS_COMMANDS } from "./protocol.js";
import type { RequesterOf } from "./requester.js";

/** A disco request for a node, as disco.ts passes it on. */
export interface NodeRequest {
  readonly entity: Entity;
  readonly to: string;
  readonly from: string;
  readonly node: string;
  readonly lang: string | undefined;
}

/** Answers disco#info and disco#items for some nodes; undefined for the nodes it does not own. */
export interface DiscoNodeProvider {
  info(req: NodeRequest): Promise<Element | undefined>;
  items(req: NodeRequest): Promise<Element | undefined>;
}

/** The command nodes (XEP-0050 §2.2, §2.3). */
export type CommandNodes = DiscoNodeProvider;

export function commandNodes({
  table,
  requester,
}: {
  table: readonly NodeDef[];
  requester: RequesterOf;
}): CommandNodes {
  const info = (node: string, type: string, name: string, features: string[]) =>
    xml(
      "query",
      { xmlns: NS_DISCO_INFO, node },
      xml("identity", { category: "automation", type, name }),
      ...features.map((v) => xml("feature", { var: v })),
    );

  return {
    async info(req) {
      if (req.node !== NS_COMMANDS && !table.some((d) => d.node === req.node)) return undefined;
      const { t, nodes } = await requester(req);
      if (req.node === NS_COMMANDS) return info(req.node, "command-list", t.adhoc.names.help, []);
      const def = nodes.find((d) => d.node === req.node);
      if (!def) return undefined;
      return info(req.node, "command-node", t.adhoc.names[def.node], [NS_COMMANDS, NS_DATA]);
    },
    async items(req) {
      if (req.node !== NS_COMMANDS) return undefined;
      const { t, nodes } = await requester(req);
      const listed = nodes.map((d) =>
        xml("item", { jid: req.to, node: d.node, name: t.adhoc.names[d.node] }),
      );
      return xml("query", { xmlns: NS_DISCO_ITEMS, node: req.node }, ...listed);
    },
  };
}
