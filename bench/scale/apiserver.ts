// The fake API server of the scale benchmark, in a process of its own (forked by run.ts, talked to
// over the IPC channel): it loads the generated cluster, reports its kubeconfig, applies the
// EndpointSlice updates it is sent, and measures its own serving of list requests, both to a
// client that only reads bytes and to clusterdns.
// Design decision: the serving time is taken from node:http's diagnostics channels (request
// start to response finish of every non-watch request), so the fake server's code is used as
// the tests use it, unchanged.
import { subscribe } from 'node:diagnostics_channel';
import { get, type IncomingMessage, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { startFakeApiServer } from '../../test/support/fake-apiserver.js';
import { clusterObjects, endpointSliceObject, servicePlan, type ClusterShape } from './generate.js';

/** What run.ts asks of this process. */
export type Command =
  | { do: 'start'; shape: ClusterShape }
  | { do: 'list'; pageSize: number }
  | { do: 'move'; service: number; endpoint: number; moved: boolean }
  | { do: 'serving' }
  | { do: 'stop' };

/** A command as sent; each is answered by a Reply with the same id (stop is not answered). */
export type Request = Command & { id: number };

export interface Started {
  kubeconfig: string;
  objects: number;
  loadMs: number;
}

export interface Listed {
  pages: number;
  bytes: number;
  ms: number;
}

export interface ListServing {
  requests: number;
  /** Sum of the durations of the list requests served. */
  ms: number;
}

export interface Reply {
  id: number;
  result: Started | Listed | ListServing | undefined;
}

const LISTED = ['/api/v1/namespaces', '/api/v1/services', '/apis/discovery.k8s.io/v1/endpointslices'];

function measureListServing(): ListServing {
  const serving: ListServing = { requests: 0, ms: 0 };
  const started = new WeakMap<ServerResponse, number>();
  subscribe('http.server.request.start', (message) => {
    const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
    if (!/[?&]watch=(true|1)/.test(request.url ?? '')) started.set(response, performance.now());
  });
  subscribe('http.server.response.finish', (message) => {
    const { response } = message as { response: ServerResponse };
    const start = started.get(response);
    if (start === undefined) return;
    serving.requests++;
    serving.ms += performance.now() - start;
  });
  return serving;
}

/** The bytes of one GET, and the continue token its list metadata (which comes first) carries. */
function page(url: string, token: string): Promise<{ bytes: number; next: string | undefined }> {
  return new Promise((resolve, reject) => {
    get(url, { headers: { Authorization: `Bearer ${token}` } }, (res) => {
      let bytes = 0;
      let head = '';
      res.setEncoding('latin1');
      res.on('data', (chunk: string) => {
        bytes += chunk.length;
        if (head.length < 4096) head += chunk.slice(0, 4096);
      });
      res.on('end', () => resolve({ bytes, next: /"continue":"([^"]+)"/.exec(head.slice(0, head.indexOf('"items"')))?.[1] }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

/** Pages through every list DNS reads, as a client that only reads bytes: the fake server's own cost. */
async function listEverything(base: string, token: string, pageSize: number): Promise<Listed> {
  const t = performance.now();
  let pages = 0;
  let bytes = 0;
  for (const path of LISTED) {
    let next: string | undefined = '';
    while (next !== undefined) {
      const query = `limit=${pageSize}${next ? `&continue=${encodeURIComponent(next)}` : ''}`;
      const got = await page(`${base}${path}?${query}`, token);
      pages++;
      bytes += got.bytes;
      next = got.next;
    }
  }
  return { pages, bytes, ms: performance.now() - t };
}

async function main(): Promise<void> {
  const serving = measureListServing();
  const api = await startFakeApiServer();
  let shape: ClusterShape | undefined;
  const answer = async (request: Request): Promise<Reply['result']> => {
    switch (request.do) {
      case 'start': {
        shape = request.shape;
        const t = performance.now();
        const objects = api.load(clusterObjects(shape));
        return { kubeconfig: api.kubeconfigPath, objects, loadMs: performance.now() - t };
      }
      case 'list': {
        const listed = await listEverything(api.url, api.token, request.pageSize);
        // From here on, only clusterdns's lists count.
        Object.assign(serving, { requests: 0, ms: 0 });
        return listed;
      }
      case 'move': {
        const plan = servicePlan(shape!, request.service);
        api.update(endpointSliceObject(shape!, plan, new Set(request.moved ? [request.endpoint] : [])));
        return undefined;
      }
      case 'serving':
        return { ...serving };
      case 'stop':
        await api.stop();
        process.exit(0);
    }
  };
  process.on('message', (request: Request) => {
    void answer(request).then((result) => process.send!({ id: request.id, result } satisfies Reply));
  });
}

await main();
