import { type Meter, metrics } from "@opentelemetry/api";
import type { RpcObserver } from "./rpc-observer.js";

/**
 * Records each RPC in the OpenTelemetry histogram `rpc.server.duration` or `rpc.client.duration`
 * (milliseconds; its count is the number of calls), with the semantic conventions' attributes
 * `rpc.system`, `rpc.service`, `rpc.method` and `rpc.grpc.status_code`.
 *
 * Through `@opentelemetry/api` alone this costs next to nothing and records nothing: the meter is
 * a no-op until the application installs an SDK (a `MeterProvider` with an exporter).
 *
 * @see https://opentelemetry.io/docs/specs/semconv/rpc/rpc-metrics/
 */
export function openTelemetryRecorder(side: "client" | "server", meter: Meter = metrics.getMeter("@tsgrpc/examples")): RpcObserver {
  const duration = meter.createHistogram(`rpc.${side}.duration`, {
    unit: "ms",
    description: `Duration of ${side === "server" ? "inbound" : "outbound"} RPCs, by method and status code`,
  });
  return (observation) =>
    duration.record(observation.durationMs, {
      "rpc.system": "grpc",
      "rpc.service": observation.service,
      "rpc.method": observation.method,
      "rpc.grpc.status_code": observation.code,
    });
}
