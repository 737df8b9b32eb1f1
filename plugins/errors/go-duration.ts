// A duration as Go's time.Duration.String() prints it ("30s", "5m0s", "1h0m0s", "1.5s", "250ms"):
// CoreDNS puts the consolidation period into its summary line this way, and log parsers match it.

const NS_PER = { us: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 } as const;

/** `ms` milliseconds (fractions down to the nanosecond) in Go's notation. */
export function goDuration(ms: number): string {
  const ns = Math.round(ms * 1e6);
  if (ns === 0) return '0s';
  if (ns < NS_PER.us) return `${ns}ns`;
  if (ns < NS_PER.ms) return `${decimal(ns, NS_PER.us)}µs`;
  if (ns < NS_PER.s) return `${decimal(ns, NS_PER.ms)}ms`;
  const hours = Math.floor(ns / NS_PER.h);
  const minutes = Math.floor((ns % NS_PER.h) / NS_PER.m);
  const seconds = decimal(ns % NS_PER.m, NS_PER.s);
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  return minutes > 0 ? `${minutes}m${seconds}s` : `${seconds}s`;
}

/** `value / unit` written exactly, without trailing zeros in the fraction. */
function decimal(value: number, unit: number): string {
  const whole = Math.floor(value / unit);
  const rest = value % unit;
  if (rest === 0) return String(whole);
  const digits = String(unit).length - 1;
  return `${whole}.${String(rest).padStart(digits, '0').replace(/0+$/, '')}`;
}
