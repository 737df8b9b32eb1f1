// Why an exchange with an upstream produced no answer. Callers fail over on any UpstreamError and
// let other errors (bugs) propagate, so the two must never be confused.

export type FailureKind =
  /** No matching answer within the read timeout. */
  | 'timeout'
  /** The TCP connection closed before the answer came. */
  | 'closed'
  /** A socket error: connection refused, unreachable network. */
  | 'network';

export class UpstreamError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}
