export * from "./config/index.js";
export { DEMO_DOMAIN, DEMO_HOST, type DemoWorld, setUpDemo } from "./demo/setup.js";
export {
  checkNode,
  connectNode,
  MIN_CORE_VERSION,
  networkOfChain,
  WrongNetworkError,
} from "./lifecycle/bitcoin.js";
export { createExclusive, type Exclusive, JOBS, LOCK_NAMESPACE } from "./lifecycle/exclusive.js";
export { ordersOnce, scanOnce } from "./lifecycle/jobs.js";
export { type Loop, type LoopOptions, startLoop } from "./lifecycle/loop.js";
export {
  type CoreServices,
  type RunningGateway,
  type StartComponent,
  startGateway,
} from "./lifecycle/start.js";
export { createLogger, type Logger, type LoggerOptions } from "./log.js";
export { EXIT, type MainOptions, main } from "./main.js";
export { startXmpp, xmppConfig } from "./xmpp.js";
