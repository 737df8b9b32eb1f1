// The DNS wire codec, the only place that touches dns-packet: server-side request parsing and
// reply encoding (our own, over the bytes, for the hot path) and the client-side query builder
// and message decoder. Names in every direction use one text form, defined in compress.ts.
export { parseRequest, type Parsed, type ReplyContext } from './decode-request.js';
export { encodeReply, udpLimit } from './encode-reply.js';
export { encodeReusing, reusable } from './reusable.js';
export { decodeMessage, encodeQuery, type DecodedMessage, type DecodedRR, type QuerySpec } from './message.js';
export { typeCode, typeName } from './typenames.js';
