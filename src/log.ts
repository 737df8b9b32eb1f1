// One event per line on stdout/stderr, as CoreDNS logs: "[LEVEL] message".
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const consoleLogger: Logger = {
  info: (m) => process.stdout.write(`[INFO] ${m}\n`),
  warn: (m) => process.stdout.write(`[WARNING] ${m}\n`),
  error: (m) => process.stderr.write(`[ERROR] ${m}\n`),
};

/** A logger that keeps lines in memory, for tests that assert on what was logged. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(`[INFO] ${m}`),
    warn: (m) => lines.push(`[WARNING] ${m}`),
    error: (m) => lines.push(`[ERROR] ${m}`),
  };
}
