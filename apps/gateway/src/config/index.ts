export { envName, SECTIONS } from "./env.js";
export { ConfigError, type ConfigErrorCode } from "./errors.js";
export { defaultExplorer, LOG_LEVELS } from "./gateway.js";
export { type LoadConfigOptions, loadConfig, loadDatabaseSettings, parseToml } from "./load.js";
export { DEFAULT_RPC_PORT } from "./sections.js";
export type * from "./types.js";
