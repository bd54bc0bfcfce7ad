import { once } from "node:events";
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { statusCodeName } from "@tsgrpc/runtime";
import { Counter, Histogram, type Registry } from "prom-client";
import type { RpcObserver } from "./rpc-observer.js";

const labelNames = ["grpc_type", "grpc_service", "grpc_method", "grpc_code"] as const;

/**
 * Records each RPC in `registry` under the names go-grpc-prometheus made the convention:
 * `grpc_{server,client}_handled_total` (a counter by type, service, method and code name) and
 * `grpc_{server,client}_handling_seconds` (a histogram of durations).
 */
export function prometheusRecorder(side: "client" | "server", registry: Registry): RpcObserver {
  const handled = new Counter({
    name: `grpc_${side}_handled_total`,
    help: `Total number of RPCs completed on the ${side}, regardless of success or failure.`,
    labelNames,
    registers: [registry],
  });
  const handling = new Histogram({
    name: `grpc_${side}_handling_seconds`,
    help: `Histogram of response latency (seconds) of gRPC that had been completed by the ${side}.`,
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return (observation) => {
    const labels = {
      grpc_type: observation.type,
      grpc_service: observation.service,
      grpc_method: observation.method,
      grpc_code: statusCodeName(observation.code),
    };
    handled.inc(labels);
    handling.observe(labels, observation.durationMs / 1000);
  };
}

/** A running `/metrics` endpoint and a `close()` that waits for it. */
export interface MetricsEndpoint {
  port: number;
  server: HttpServer;
  close(): Promise<void>;
}

/** Serves `registry` in the Prometheus text format at `http://host:port/metrics` (port 0 picks one). */
export async function startMetricsEndpoint(registry: Registry, host: string, port: number): Promise<MetricsEndpoint> {
  const server = createServer((request, response) => {
    if (request.method !== "GET" || new URL(request.url ?? "/", "http://metrics.invalid").pathname !== "/metrics") {
      response.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { "content-type": registry.contentType }).end(text),
      (error: unknown) => response.writeHead(500, { "content-type": "text/plain" }).end(String(error)),
    );
  });
  server.listen(port, host);
  await once(server, "listening");
  return {
    port: (server.address() as AddressInfo).port,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
