// A program that makes one call and a stream and never closes its channel, as programs do:
// `argv[2]` is the server's port, `argv[3]` the client transport. It must still exit by itself
// once its calls are done (the channel's connection and timers hold the process only while calls
// are in flight). Prints the answer.

import { insecureChannel } from "../../transports/channel.js";
import type { ClientTransportName } from "../channel-options.js";

const encode = (message: unknown) => new TextEncoder().encode(JSON.stringify(message));
const decode = (bytes: Uint8Array) => JSON.parse(new TextDecoder().decode(bytes)) as { text: string };
const method = { path: "/test.Ch/Echo", requestStream: false, responseStream: false };
const echo = { ...method, serializeRequest: encode, deserializeRequest: decode, serializeResponse: encode, deserializeResponse: decode };

const channel = insecureChannel(`127.0.0.1:${process.argv[2]}`, { transport: process.argv[3] as ClientTransportName });
const answer = await channel.unaryUnary(echo)({ text: "hi" }, { timeout: 5 });
console.log(answer.text);
