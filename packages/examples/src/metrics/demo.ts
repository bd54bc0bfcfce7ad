// `npm run demo:metrics`: the users tutorial with tracing and metrics interceptors on both sides.
// Records into OpenTelemetry (a no-op here: no SDK is installed) and a prom-client registry served at /metrics,
// runs the tutorial's client, and prints what Prometheus would scrape.
import { insecureChannel, interceptChannel, server } from "@tsgrpc/runtime";
import { Registry } from "prom-client";
import { addUsersServicerToServer } from "../gen/users/users_grpc.js";
import { runUsersClient } from "../users/client.js";
import { UsersService } from "../users/users-service.js";
import { openTelemetryRecorder } from "./open-telemetry.js";
import { prometheusRecorder, startMetricsEndpoint } from "./prometheus.js";
import { observingClientInterceptor, observingServerInterceptor } from "./rpc-observer.js";
import { tracingClientInterceptor, tracingServerInterceptor } from "./tracing.js";

const registry = new Registry();
const srv = server({
  interceptors: [
    tracingServerInterceptor(),
    observingServerInterceptor(openTelemetryRecorder("server")),
    observingServerInterceptor(prometheusRecorder("server", registry)),
  ],
});
addUsersServicerToServer(new UsersService(() => {}), srv);
const port = await srv.addInsecurePort("127.0.0.1:0");
await srv.start();
const channel = interceptChannel(
  insecureChannel(`127.0.0.1:${port}`),
  tracingClientInterceptor(),
  observingClientInterceptor(openTelemetryRecorder("client")),
  observingClientInterceptor(prometheusRecorder("client", registry)),
);
const endpoint = await startMetricsEndpoint(registry, "127.0.0.1", 0);
try {
  await runUsersClient(channel, (line) => console.log(`[client] ${line}`));
  const text = await (await fetch(`http://127.0.0.1:${endpoint.port}/metrics`)).text();
  console.log(`[metrics] GET http://127.0.0.1:${endpoint.port}/metrics (excerpt):`);
  for (const line of text.split("\n").filter((l) => l.startsWith("grpc_") && l.includes("_handled_total"))) console.log(`  ${line}`);
} catch (error) {
  console.error("demo failed:", error);
  process.exitCode = 1;
} finally {
  await endpoint.close();
  channel.close();
  await srv.stop(1);
}
