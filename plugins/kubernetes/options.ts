// Parsing of the `kubernetes` stanza (CoreDNS syntax) into options. Every mistake is a
// ConfigError naming the line of the offending option. Objects come either from files
// (`objects`) or from the Kubernetes API (`kubeconfig`, `endpoint`, or in-cluster when neither
// is given); the two are mutually exclusive, so a stanza says plainly where its data comes from.
import path from 'node:path';
import type { Directive } from '../../src/config/corefile.js';
import { isReverseName, isSubdomain, lowerName, reverseZonesOfCidr } from '../../src/dns/names.js';
import type { ConnectionSettings } from '../../src/kube/api/connection.js';
import { LabelSelectorError, parseLabelSelector } from '../../src/kube/api/label-selector.js';
import type { PodMode } from '../../src/kube/store.js';
import type { SetupContext } from '../../src/plugin.js';

export interface KubernetesOptions {
  /** The zones answered, lower-case, no trailing dot. */
  zones: string[];
  /** The first non-reverse zone: PTR targets are written in it. */
  primaryZone: string;
  /** The `objects` path, resolved against the Corefile's directory; undefined when objects come from the API. */
  objects: string | undefined;
  /** How to reach the Kubernetes API (neither kubeconfig nor endpoint: in-cluster); undefined with `objects`. */
  api?: ConnectionSettings;
  /** `labels`: the label selector of Services (and of their EndpointSlices), canonical; undefined selects all. */
  labels?: string;
  namespaces: Set<string>;
  pods: PodMode;
  endpointPodNames: boolean;
  ttl: number;
  noEndpoints: boolean;
  /** Zones whose would-be NXDOMAIN goes to the next plugin; undefined without `fallthrough`. */
  fallthrough: string[] | undefined;
  ignoreEmptyService: boolean;
}

const DEFAULT_TTL = 5;
const MAX_TTL = 3600;
const POD_MODES: readonly PodMode[] = ['disabled', 'insecure', 'verified'];

export function parseOptions(directive: Directive, ctx: SetupContext): KubernetesOptions {
  const zones = directive.args.length > 0 ? directive.args.flatMap((z) => normalizeZone(z)) : [...ctx.zones];
  for (const zone of zones) {
    if (!ctx.zones.some((outer) => isSubdomain(zone, outer))) {
      throw directive.error(`kubernetes: zone '${zone}' is not in any zone of its server block`);
    }
  }
  const primaryZone = zones.find((z) => !isReverseName(z));
  if (primaryZone === undefined) throw directive.error('kubernetes: non-reverse zone name must be used');

  let objects: Directive | undefined;
  let api: Directive | undefined;
  const connection: ConnectionSettings = { kubeconfig: undefined, endpoint: undefined };
  let labels: string | undefined;
  let labelsAt: Directive | undefined;
  const o: Omit<KubernetesOptions, 'zones' | 'primaryZone' | 'objects' | 'api' | 'labels'> = {
    namespaces: new Set(),
    pods: 'disabled',
    endpointPodNames: false,
    ttl: DEFAULT_TTL,
    noEndpoints: false,
    fallthrough: undefined,
    ignoreEmptyService: false,
  };
  for (const d of directive.block ?? []) {
    d.expectNoBlock();
    const args = d.args;
    switch (d.name) {
      case 'objects':
        count(d, 1, 1);
        objects = d;
        break;
      case 'kubeconfig':
        count(d, 1, 2);
        api = d;
        connection.kubeconfig = { path: path.resolve(path.dirname(directive.file), args[0]!), context: args[1] };
        break;
      case 'endpoint':
        count(d, 1, Infinity);
        api = d;
        connection.endpoint = endpointURL(d);
        if (args.length > 1) ctx.log.warn(`${d.file}:${d.line}: multiple endpoints are deprecated; only the first, '${args[0]}', is used`);
        break;
      case 'labels':
        count(d, 1, Infinity);
        try {
          labels = parseLabelSelector(args.join(' '));
        } catch (err) {
          if (err instanceof LabelSelectorError) throw d.error(`unable to parse label selector value: '${args.join(' ')}': ${err.message}`);
          throw err;
        }
        labelsAt = d;
        break;
      case 'namespaces':
        count(d, 1, Infinity);
        for (const ns of args) o.namespaces.add(ns);
        break;
      case 'pods':
        count(d, 1, 1);
        if (!POD_MODES.includes(args[0] as PodMode)) {
          throw d.error(`wrong value for pods: ${args[0]}, must be one of: ${POD_MODES.join(', ')}`);
        }
        o.pods = args[0] as PodMode;
        break;
      case 'endpoint_pod_names':
        d.expectNoArgs();
        o.endpointPodNames = true;
        break;
      case 'ttl':
        count(d, 1, 1);
        if (!/^\d+$/.test(args[0]!) || Number(args[0]) > MAX_TTL) {
          throw d.error(`ttl must be an integer in range [0, ${MAX_TTL}]: ${args[0]}`);
        }
        o.ttl = Number(args[0]);
        break;
      case 'noendpoints':
        d.expectNoArgs();
        o.noEndpoints = true;
        break;
      case 'fallthrough':
        o.fallthrough = args.length > 0 ? args.flatMap((z) => normalizeZone(z)) : zones;
        break;
      case 'ignore':
        count(d, 1, 1);
        if (args[0] !== 'empty_service') throw d.error(`unable to parse ignore value: '${args[0]}'`);
        o.ignoreEmptyService = true;
        break;
      default:
        throw d.error(`unknown property '${d.name}'`);
    }
  }
  if (objects && api) {
    const later = objects.line > api.line ? objects : api;
    throw later.error('objects (files) and kubeconfig/endpoint (the Kubernetes API) are mutually exclusive');
  }
  if (objects && labelsAt) throw labelsAt.error('labels selects what is read from the Kubernetes API; it cannot be used with objects');
  if (objects) return { zones, primaryZone, objects: path.resolve(path.dirname(directive.file), objects.args[0]!), api: undefined, labels: undefined, ...o };
  return { zones, primaryZone, objects: undefined, api: connection, labels, ...o };
}

/** The first `endpoint` URL, which must be http(s). */
function endpointURL(d: Directive): string {
  const text = d.args[0]!;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') throw d.error(`endpoint: '${text}' is not an http:// or https:// URL`);
  return text;
}

/** A zone argument as a list of zones: a CIDR block names its reverse zones. */
function normalizeZone(text: string): string[] {
  const lower = lowerName(text).replace(/\.$/, '');
  return reverseZonesOfCidr(lower) ?? [lower];
}

function count(d: Directive, min: number, max: number): void {
  if (d.args.length < min || d.args.length > max) throw d.error(`${d.name}: wrong argument count`);
}
