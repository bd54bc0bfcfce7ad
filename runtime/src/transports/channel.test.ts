import { clientTransportNames, insecureChannel, secureChannel } from "./channel.js";

describe("insecureChannel(target, { transport })", () => {
  it("offers grpc-js (the default) and node-http2", () => {
    expect(clientTransportNames).toEqual(["grpc-js", "node-http2"]);
  });

  it("names an unknown transport and the valid ones", () => {
    expect(() => insecureChannel("127.0.0.1:1", { transport: "undici" as never })).toThrow(
      new TypeError('Unknown client transport "undici": the valid ones are "grpc-js" and "node-http2"'),
    );
  });

  it("refuses grpc-js channel arguments on node-http2, naming the typed option to use", () => {
    expect(() =>
      insecureChannel("127.0.0.1:1", {
        transport: "node-http2",
        options: { "grpc.max_receive_message_length": 1, "grpc.keepalive_time_ms": 5, "grpc.lb_policy_name": "round_robin" },
      }),
    ).toThrow(
      new TypeError(
        'Channel options hold grpc-js channel arguments (options), which the "node-http2" transport does not read; use the typed options instead: "grpc.max_receive_message_length" → maxReceiveMessageLength, "grpc.keepalive_time_ms" → keepaliveTime, "grpc.lb_policy_name" (no equivalent)',
      ),
    );
    insecureChannel("127.0.0.1:1", { transport: "node-http2", options: {} }).close();
  });

  it("refuses an empty target and credentials that are not ChannelCredentials, whatever the transport", () => {
    for (const transport of clientTransportNames) {
      expect(() => insecureChannel("", { transport })).toThrow(/target must be a non-empty string/);
      expect(() => secureChannel("localhost:1", {} as never, { transport })).toThrow(/needs ChannelCredentials/);
      expect(() => insecureChannel("127.0.0.1:1", { transport, maxReceiveMessageLength: -5 })).toThrow(/^maxReceiveMessageLength must be/);
    }
  });
});
