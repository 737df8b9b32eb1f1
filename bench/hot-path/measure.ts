// The DNS hot path without sockets: the server's handler answering pre-encoded questions over a
// generated cluster, in ns and heap bytes per query for each kind of question. Run it under
// `node --cpu-prof` to see where that time goes (bench/hot-path/profile-summary.ts reads the profile).
// Usage: node dist/bench/hot-path/measure.js [--services N] [--queries N] [--cache]
import { parseArgs } from 'node:util';
import { startHotPath } from './cluster.js';
import { checkAnswers, report } from './report.js';
import { sample } from './sample.js';

const { values } = parseArgs({
  options: {
    services: { type: 'string', default: '10000' },
    queries: { type: 'string', default: '100000' },
    cache: { type: 'boolean', default: false },
  },
});
const services = Number(values.services);
const queries = Number(values.queries);
const hot = await startHotPath(services, values.cache);
try {
  await checkAnswers(hot);
  console.log(`${services} services, ${queries} queries per kind, node ${process.version}${values.cache ? ', cache in front' : ''}`);
  for (const line of report(hot.questions.map((q) => ({ kind: q.kind, sample: sample(hot.handler, q.wire, queries) })))) console.log(line);
} finally {
  await hot.stop();
}
