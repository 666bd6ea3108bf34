/** The request handler of one sandbox: the dispatcher behind Core's HTTP front. */
import { createRpcHandler } from "./http.js";
import { createDispatcher } from "./methods/index.js";
import type { SandboxNode } from "./node.js";

export function createSandboxHandler(deps: {
  node: SandboxNode;
  user: string;
  password: string;
  requestStop: () => void;
  afterReply: () => void;
}) {
  return createRpcHandler({
    user: deps.user,
    password: deps.password,
    dispatch: createDispatcher({
      node: deps.node,
      requestStop: deps.requestStop,
      startedAt: deps.node.now(),
    }),
    afterReply: deps.afterReply,
  });
}
