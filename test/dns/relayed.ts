// Upstream messages for the tests of relayed replies: a Reply written by the server's own encoder
// (compressed names, an OPT record when EDNS is given), as an upstream would send it.
import type { Reply } from '../../src/dns/types.js';
import { encodeQuery, encodeReply } from '../../src/dns/wire.js';

/** The whole message an upstream would send for `name TYPE` with `reply`'s records and flags. */
export function upstreamMessage(name: string, type: string, reply: Reply, edns?: { do: boolean }): Buffer {
  const questionWire = encodeQuery({ id: 0, name, type }).subarray(12);
  const context = { id: 0xbeef, opcode: 0, rd: true, cd: false, edns: edns && { udpSize: 1232, version: 0, do: edns.do }, questionWire };
  return encodeReply(context, reply, 0xffff);
}

/** `reply` as a forwarding plugin hands it on: the message whole, the record arrays empty. */
export function relayed(name: string, type: string, reply: Reply, edns?: { do: boolean }): Reply {
  return {
    ...reply,
    answers: [],
    authority: [],
    additional: [],
    relayed: { message: upstreamMessage(name, type, reply, edns), answerCount: reply.answers.length },
  };
}
