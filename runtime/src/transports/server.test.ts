import { server, serverTransportNames } from "./server.js";

describe("server({ transport })", () => {
  it("offers grpc-js (the default) and node-http2", () => {
    expect(serverTransportNames).toEqual(["node-http2", "grpc-js"]);
  });

  it("names an unknown transport and the valid ones", () => {
    expect(() => server({ transport: "uws" as never })).toThrow(
      new TypeError('Unknown server transport "uws": the valid ones are "node-http2" and "grpc-js"'),
    );
  });

  it("refuses grpc-js channel arguments on node-http2, naming the typed option to use", () => {
    expect(() =>
      server({
        transport: "node-http2",
        options: { "grpc.max_receive_message_length": 1, "grpc.keepalive_time_ms": 5, "grpc.so_reuseport": 1 },
      }),
    ).toThrow(
      new TypeError(
        'server({ options }) holds grpc-js channel arguments, which the "node-http2" transport does not read; use the typed options instead: "grpc.max_receive_message_length" → maxReceiveMessageLength, "grpc.keepalive_time_ms" → keepaliveTime (seconds), "grpc.so_reuseport" (no equivalent)',
      ),
    );
    expect(() => server({ transport: "node-http2", options: {} })).not.toThrow();
  });

  it("refuses an option it does not know, naming the nearest valid one and listing them all", () => {
    expect(() => server({ maxRecieveMessageLength: 5 } as never)).toThrow(
      /^Unknown server option "maxRecieveMessageLength" \(did you mean "maxReceiveMessageLength"\?\): the valid ones are transport, interceptors, .*maxReceiveMessageLength/,
    );
    expect(() => server({ frobnicate: true } as never)).toThrow(/^Unknown server option "frobnicate": the valid ones are /);
    expect(() => server({ logger: null, maxReceiveMessageLength: 5 })).not.toThrow();
  });

  it("validates the limits whatever the transport", () => {
    for (const transport of serverTransportNames) {
      expect(() => server({ transport, maxReceiveMessageLength: -5 })).toThrow(/^maxReceiveMessageLength must be/);
    }
  });
});
