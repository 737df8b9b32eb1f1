// The metrics of answered queries, coredns_dns_*, with the names, labels and buckets of CoreDNS's
// plugin/metrics/vars (its code, not its README: the duration histogram has no `type` label).
// Design decision: one set per process, found by name in the registry, so every server block and
// every configuration after a reload counts into the same series.
import { Counter, Histogram, type Registry } from 'prom-client';
import { rcodeName } from '../dns/classify.js';
import type { Query } from '../plugin.js';
import { DURATION_BUCKETS } from '../upstream/metrics.js';
import { familyLabel, NO_VIEW, typeLabel } from './labels.js';
import { ensureMetric } from './register.js';

/** Request and response sizes in bytes: CoreDNS's bounds, up to the 64K of a TCP message. */
export const SIZE_BUCKETS: readonly number[] = [0, 100, 200, 300, 400, 511, 1023, 2047, 4095, 8291, 16e3, 32e3, 48e3, 64e3];

/** One reply as the server sent it, with what the labels need. */
export interface Answered {
  /** The `server` label ('dns://:53'). */
  server: string;
  /** The `zone` label: the zone of the server block that holds the name ('cluster.local.', '.'). */
  zone: string;
  query: Query;
  rcode: number;
  /** The plugin that produced the reply, '' when the server did (REFUSED at the end of the chain, a panic). */
  plugin: string;
  /** Size of the reply message in bytes. */
  size: number;
  seconds: number;
}

export class DnsMetrics {
  private readonly requests: Counter;
  private readonly responses: Counter;
  private readonly duration: Histogram;
  private readonly requestSize: Histogram;
  private readonly responseSize: Histogram;
  private readonly doRequests: Counter;

  constructor(registry: Registry) {
    const counter = (name: string, help: string, labelNames: string[]) =>
      ensureMetric(registry, name, (registers) => new Counter({ name, help, labelNames, registers }));
    const histogram = (name: string, help: string, labelNames: string[], buckets: readonly number[]) =>
      ensureMetric(registry, name, (registers) => new Histogram({ name, help, labelNames, buckets: [...buckets], registers }));
    this.requests = counter('coredns_dns_requests_total', 'Counter of DNS requests made per zone, protocol and family.', [
      'server', 'zone', 'view', 'proto', 'family', 'type',
    ]);
    this.responses = counter('coredns_dns_responses_total', 'Counter of response status codes.', ['server', 'zone', 'view', 'rcode', 'plugin']);
    this.duration = histogram(
      'coredns_dns_request_duration_seconds',
      'Histogram of the time (in seconds) each request took per zone.',
      ['server', 'zone', 'view'],
      DURATION_BUCKETS,
    );
    this.requestSize = histogram(
      'coredns_dns_request_size_bytes',
      'Size of the EDNS0 UDP buffer in bytes (64K for TCP) per zone and protocol.',
      ['server', 'zone', 'view', 'proto'],
      SIZE_BUCKETS,
    );
    this.responseSize = histogram('coredns_dns_response_size_bytes', 'Size of the returned response in bytes.', ['server', 'zone', 'view', 'proto'], SIZE_BUCKETS);
    this.doRequests = counter('coredns_dns_do_requests_total', 'Counter of DNS requests with DO bit set per zone.', ['server', 'zone', 'view']);
  }

  record(a: Answered): void {
    const { server, zone, query } = a;
    const proto = query.transport;
    this.requests.inc({ server, zone, view: NO_VIEW, proto, family: familyLabel(query.client.address), type: typeLabel(query.qtype) });
    this.responses.inc({ server, zone, view: NO_VIEW, rcode: rcodeName(a.rcode), plugin: a.plugin });
    this.duration.observe({ server, zone, view: NO_VIEW }, a.seconds);
    this.requestSize.observe({ server, zone, view: NO_VIEW, proto }, query.size);
    this.responseSize.observe({ server, zone, view: NO_VIEW, proto }, a.size);
    if (query.request.edns?.do) this.doRequests.inc({ server, zone, view: NO_VIEW });
  }
}
