// Counters the server keeps about traffic it could not answer normally; the prometheus plugin
// will export them, tests read them directly.
export interface ServerStats {
  /** Datagrams or TCP messages dropped without a reply (unreadable header, QR=1). */
  dropped: number;
  /** Replies that could not be built because a plugin threw (CoreDNS: coredns_panics_total). */
  panics: number;
}

export function newStats(): ServerStats {
  return { dropped: 0, panics: 0 };
}
