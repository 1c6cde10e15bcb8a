/** A setting the server cannot start with; its message, in French, says which and why. */
export class ConfigError extends Error {}
