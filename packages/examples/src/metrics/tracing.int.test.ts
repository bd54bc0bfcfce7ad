import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { type Channel, interceptChannel, RpcError, type Server, StatusCode } from "@tsgrpc/runtime";
import { checkLeaksAfterAll, insecureChannelUnderTest, serverUnderTest, sleep } from "@tsgrpc/test-utils";
import { addUsersServicerToServer, UsersStub } from "../gen/users/users_grpc.js";
import { UsersService } from "../users/users-service.js";
import { tracingClientInterceptor, tracingServerInterceptor } from "./tracing.js";

checkLeaksAfterAll();

describe("tracing interceptors", () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const options = { tracer: provider.getTracer("test"), propagator: new W3CTraceContextPropagator() };
  let srv: Server;
  let channel: Channel;
  let stub: UsersStub;

  beforeAll(async () => {
    srv = serverUnderTest({ interceptors: [tracingServerInterceptor(options)] });
    addUsersServicerToServer(new UsersService(() => {}), srv);
    const port = await srv.addInsecurePort("127.0.0.1:0");
    await srv.start();
    channel = interceptChannel(insecureChannelUnderTest(`127.0.0.1:${port}`), tracingClientInterceptor(options));
    stub = new UsersStub(channel);
  });
  afterAll(async () => {
    channel.close();
    await srv.stop(null);
    await provider.shutdown();
  });
  beforeEach(() => exporter.reset());

  /** The finished spans, client first, once both sides have ended theirs. */
  async function spans(): Promise<[ReadableSpan, ReadableSpan]> {
    for (let i = 0; i < 100 && exporter.getFinishedSpans().length < 2; i++) await sleep(10);
    const finished = exporter.getFinishedSpans();
    expect(finished).toHaveLength(2);
    const client = finished.find((s) => s.kind === SpanKind.CLIENT) as ReadableSpan;
    const serverSpan = finished.find((s) => s.kind === SpanKind.SERVER) as ReadableSpan;
    return [client, serverSpan];
  }

  it("makes a client span and a server span in one trace, the server's a child of the client's", async () => {
    for await (const _ of stub.GetUsers({ user: [{ username: "alexa" }] })) {
      // drain
    }
    const [client, serverSpan] = await spans();
    expect(client.name).toBe("users.Users/GetUsers");
    expect(client.attributes).toEqual({
      "rpc.system": "grpc",
      "rpc.service": "users.Users",
      "rpc.method": "GetUsers",
      "rpc.grpc.status_code": 0,
    });
    expect(serverSpan.spanContext().traceId).toBe(client.spanContext().traceId);
    expect(serverSpan.parentSpanContext?.spanId).toBe(client.spanContext().spanId);
    expect([client.status.code, serverSpan.status.code]).toEqual([SpanStatusCode.UNSET, SpanStatusCode.UNSET]);
  });

  it("marks a failed call an error on the client; a client mistake is no server error", async () => {
    await expect(stub.CreateUser({ username: "" })).rejects.toBeInstanceOf(RpcError);
    const [client, serverSpan] = await spans();
    expect(client.status).toEqual({ code: SpanStatusCode.ERROR, message: "INVALID_ARGUMENT: username is required" });
    expect(serverSpan.attributes["rpc.grpc.status_code"]).toBe(StatusCode.INVALID_ARGUMENT);
    expect(serverSpan.status.code).toBe(SpanStatusCode.UNSET);
  });

  it("marks a deadline an error on both sides", async () => {
    await expect(stub.CreateUser({ username: "slowpoke" }, { timeout: 0.1 })).rejects.toBeInstanceOf(RpcError);
    const [client, serverSpan] = await spans();
    expect([client.status.code, serverSpan.status.code]).toEqual([SpanStatusCode.ERROR, SpanStatusCode.ERROR]);
    expect(serverSpan.attributes["rpc.grpc.status_code"]).toBe(StatusCode.DEADLINE_EXCEEDED);
  });
});
