import { once } from "node:events";
import { request } from "node:http";
import {
  AggregationTemporality,
  type HistogramMetricData,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import { type Channel, interceptChannel, RpcError, type Server, StatusCode } from "@tsgrpc/runtime";
import { checkLeaksAfterAll, insecureChannelUnderTest, serverUnderTest, sleep } from "@tsgrpc/test-utils";
import { Registry } from "prom-client";
import { addUsersServicerToServer, UsersStub } from "../gen/users/users_grpc.js";
import { UsersService } from "../users/users-service.js";
import { openTelemetryRecorder } from "./open-telemetry.js";
import { type MetricsEndpoint, prometheusRecorder, startMetricsEndpoint } from "./prometheus.js";
import { observingClientInterceptor, observingServerInterceptor, splitMethodPath } from "./rpc-observer.js";

checkLeaksAfterAll();

interface Point {
  method: string;
  code: number;
  count: number;
  sumMs: number;
}

/** The histogram `name`'s data points, one per method and code, sorted. */
function points(exporter: InMemoryMetricExporter, name: string): Point[] {
  const metric = exporter
    .getMetrics()
    .at(-1)
    ?.scopeMetrics.flatMap((scope) => scope.metrics)
    .find((m) => m.descriptor.name === name) as HistogramMetricData | undefined;
  return (metric?.dataPoints ?? [])
    .map((p) => ({
      method: `${p.attributes["rpc.service"]}/${p.attributes["rpc.method"]}`,
      code: p.attributes["rpc.grpc.status_code"] as number,
      count: p.value.count,
      sumMs: p.value.sum ?? 0,
    }))
    .sort((a, b) => a.method.localeCompare(b.method) || a.code - b.code);
}

describe("metrics interceptors", () => {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({ readers: [reader] });
  const meter = provider.getMeter("test");
  const registry = new Registry();
  let srv: Server;
  let channel: Channel;
  let endpoint: MetricsEndpoint;

  beforeAll(async () => {
    srv = serverUnderTest({
      interceptors: [
        observingServerInterceptor(openTelemetryRecorder("server", meter)),
        observingServerInterceptor(prometheusRecorder("server", registry)),
      ],
    });
    addUsersServicerToServer(new UsersService(() => {}), srv);
    const port = await srv.addInsecurePort("127.0.0.1:0");
    await srv.start();
    channel = interceptChannel(
      insecureChannelUnderTest(`127.0.0.1:${port}`),
      observingClientInterceptor(openTelemetryRecorder("client", meter)),
      observingClientInterceptor(prometheusRecorder("client", registry)),
    );
    endpoint = await startMetricsEndpoint(registry, "127.0.0.1", 0);

    // Two successes, one INVALID_ARGUMENT, one stream, one deadline of 0.2 s.
    const stub = new UsersStub(channel);
    await stub.CreateUser({ username: "tom" });
    await stub.CreateUser({ username: "ann" });
    await expect(stub.CreateUser({ username: "" })).rejects.toBeInstanceOf(RpcError);
    for await (const _ of stub.GetUsers({ user: [{ username: "a" }, { username: "b" }] })) {
      // drain
    }
    await expect(stub.CreateUser({ username: "slowpoke" }, { timeout: 0.2 })).rejects.toMatchObject({
      message: expect.stringMatching(/DEADLINE_EXCEEDED/),
    });
    await sleep(50); // the server records its side when its own deadline timer fires
  });
  afterAll(async () => {
    await endpoint.close();
    channel.close();
    await srv.stop(null);
    await provider.shutdown();
  });

  it("records per-method counts, latencies and status codes in OpenTelemetry histograms, both sides", async () => {
    await reader.forceFlush();
    for (const side of ["client", "server"]) {
      const recorded = points(exporter, `rpc.${side}.duration`);
      expect(recorded.map(({ method, code, count }) => [method, code, count])).toEqual([
        ["users.Users/CreateUser", StatusCode.OK, 2],
        ["users.Users/CreateUser", StatusCode.INVALID_ARGUMENT, 1],
        ["users.Users/CreateUser", StatusCode.DEADLINE_EXCEEDED, 1],
        ["users.Users/GetUsers", StatusCode.OK, 1],
      ]);
      const deadline = recorded.find((p) => p.code === StatusCode.DEADLINE_EXCEEDED);
      expect(deadline?.sumMs).toBeGreaterThanOrEqual(150);
      expect(deadline?.sumMs).toBeLessThan(200 + 500);
    }
  });

  it("serves the same in the Prometheus text format at /metrics", async () => {
    const req = request(`http://127.0.0.1:${endpoint.port}/metrics`, { agent: false });
    req.end();
    const [response] = await once(req, "response");
    response.setEncoding("utf8");
    let text = "";
    for await (const chunk of response) text += chunk;
    expect(response.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const side of ["client", "server"]) {
      const lines = text.split("\n").filter((line) => line.startsWith(`grpc_${side}_handled_total{`));
      expect(lines.sort()).toEqual([
        `grpc_${side}_handled_total{grpc_type="server_stream",grpc_service="users.Users",grpc_method="GetUsers",grpc_code="OK"} 1`,
        `grpc_${side}_handled_total{grpc_type="unary",grpc_service="users.Users",grpc_method="CreateUser",grpc_code="DEADLINE_EXCEEDED"} 1`,
        `grpc_${side}_handled_total{grpc_type="unary",grpc_service="users.Users",grpc_method="CreateUser",grpc_code="INVALID_ARGUMENT"} 1`,
        `grpc_${side}_handled_total{grpc_type="unary",grpc_service="users.Users",grpc_method="CreateUser",grpc_code="OK"} 2`,
      ]);
      expect(text).toContain(
        `grpc_${side}_handling_seconds_bucket{le="0.5",grpc_type="unary",grpc_service="users.Users",grpc_method="CreateUser",grpc_code="DEADLINE_EXCEEDED"} 1`,
      );
      expect(text).toContain(
        `grpc_${side}_handling_seconds_bucket{le="0.1",grpc_type="unary",grpc_service="users.Users",grpc_method="CreateUser",grpc_code="DEADLINE_EXCEEDED"} 0`,
      );
    }
  });

  it("splits method paths", () => {
    expect(splitMethodPath("/users.Users/GetUsers")).toEqual({ service: "users.Users", method: "GetUsers" });
  });
});
