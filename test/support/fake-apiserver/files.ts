// Reads Kubernetes objects from YAML/JSON files, as `kubectl apply -f` would: multi-document
// files, `kind: List` and typed lists (`ServiceList` from `kubectl get -o yaml`), directories.
// Design decision: this only parses; which kinds the fake serves is the server's business, so
// the same reader serves fixtures that also hold Deployments and the like.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import { ConfigError } from '../../../src/errors.js';
import type { ApiObject } from './store.js';

const OBJECT_FILE = /\.(ya?ml|json)$/;

/** The objects in each path (a file, or a directory of .yaml/.yml/.json files read in name order). */
export function readObjectFiles(...paths: string[]): ApiObject[] {
  const out: ApiObject[] = [];
  for (const path of paths) {
    const files = statSync(path).isDirectory()
      ? readdirSync(path)
          .filter((name) => OBJECT_FILE.test(name) && !name.startsWith('.'))
          .sort()
          .map((name) => join(path, name))
      : [path];
    for (const file of files) out.push(...readObjectFile(file));
  }
  return out;
}

function readObjectFile(file: string): ApiObject[] {
  const lines = new LineCounter();
  const out: ApiObject[] = [];
  for (const doc of parseAllDocuments(readFileSync(file, 'utf8'), { lineCounter: lines })) {
    const error = doc.errors[0];
    if (error) throw new ConfigError(error.message.split('\n')[0]!, file, error.linePos?.[0].line ?? 1);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    const line = doc.contents ? lines.linePos(doc.contents.range[0]).line : 1;
    if (typeof value !== 'object' || Array.isArray(value)) throw new ConfigError('a document must be a Kubernetes object', file, line);
    out.push(...flatten(value as ApiObject));
  }
  return out;
}

/** `List` items carry their own kind; a typed list's items carry none, so they get the list's. */
function flatten(object: ApiObject): ApiObject[] {
  const kind = object.kind ?? '';
  if (!kind.endsWith('List') || !Array.isArray(object.items)) return [object];
  const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
  return (object.items as ApiObject[]).flatMap((item) =>
    flatten(itemKind ? { kind: itemKind, apiVersion: object.apiVersion, ...item } : item),
  );
}
