// One event per line on standard output, every level, as CoreDNS logs: "[LEVEL] message". One
// stream keeps the order of events as they happened, which two streams read apart would lose.
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const consoleLogger: Logger = {
  info: (m) => process.stdout.write(`[INFO] ${m}\n`),
  warn: (m) => process.stdout.write(`[WARNING] ${m}\n`),
  error: (m) => process.stdout.write(`[ERROR] ${m}\n`),
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
