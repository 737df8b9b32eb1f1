// The error catalogue: stable codes, messages that name where the problem is.

/** A configuration problem; `message` reads "FILE:LINE: what is wrong" and is shown as is. */
export class ConfigError extends Error {
  readonly code = 'CLUSTERDNS_CONFIG';
  constructor(message: string, readonly file?: string, readonly line?: number) {
    super(file !== undefined && line !== undefined ? `${file}:${line}: ${message}` : message);
    this.name = 'ConfigError';
  }
}

/** Bad command-line flags. */
export class UsageError extends Error {
  readonly code = 'CLUSTERDNS_USAGE';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
