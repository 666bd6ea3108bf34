export type ConfigErrorCode =
  /** The configuration file does not exist or cannot be read. */
  | "CONFIG_NOT_FOUND"
  /** The file is not valid TOML. */
  | "CONFIG_SYNTAX"
  /** A required section or key is absent. */
  | "CONFIG_MISSING"
  /** A key has a value of the wrong form. */
  | "CONFIG_INVALID"
  /** A key the program does not know (a typo, usually). */
  | "CONFIG_UNKNOWN_KEY"
  /** Two keys that exclude each other are both set (secret and secret_file, url and host). */
  | "CONFIG_CONFLICT"
  /** A `*_file` secret cannot be read or is empty. */
  | "CONFIG_SECRET_FILE";

/**
 * Every configuration problem; match on `code`. `key` names the offending
 * setting as `section.key` (or the section alone), so the message can say
 * exactly what to fix.
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(
    readonly code: ConfigErrorCode,
    readonly key: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
