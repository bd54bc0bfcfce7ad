import { BinaryReader, BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import type { ServicerContext } from "../core/servicer-context.js";
import { StatusCode } from "../core/status-code.js";
import { unaryStreamRpcMethodHandler, unaryUnaryRpcMethodHandler } from "../server/method-handlers.js";
import type { Server } from "../server/server.js";

// The gRPC health checking protocol, grpc.health.v1 (runtime/proto/grpc/health/v1/health.proto;
// https://github.com/grpc/grpc/blob/master/doc/health-checking.md). Its two messages have one
// field each, so they are encoded here rather than generated.

/** `grpc.health.v1.HealthCheckResponse.ServingStatus`. */
export enum ServingStatus {
  /** No status has been set. */
  UNKNOWN = 0,
  /** The service is serving. */
  SERVING = 1,
  /** The service is not serving (e.g. while the server drains). */
  NOT_SERVING = 2,
  /** Sent by Watch for a service that is not registered. */
  SERVICE_UNKNOWN = 3,
}

/** Sets what the health service reports. */
export interface HealthController {
  /** Sets the status of `service` ("" is the whole server); Watch streams see the change at once. */
  setStatus(service: string, status: ServingStatus): void;
  /** The status of `service`, or undefined if it was never set. */
  status(service: string): ServingStatus | undefined;
  /** Reports every service NOT_SERVING and ignores later setStatus calls: call it before `server.stop(grace)`. */
  enterGracefulShutdown(): void;
}

/**
 * Adds the standard health service (`grpc.health.v1.Health`, Check and Watch) to `server`, with
 * the whole server ("") SERVING, and returns the controller that sets each service's status.
 *
 * @example
 * const health = addHealthServicer(srv);
 * health.setStatus("users.Users", ServingStatus.SERVING);
 */
export function addHealthServicer(
  server: Server,
  statuses: Record<string, ServingStatus> = { "": ServingStatus.SERVING },
): HealthController {
  const current = new Map(Object.entries(statuses));
  const watchers = new Set<{ service: string; wake: () => void }>();
  let shuttingDown = false;
  const set = (service: string, status: ServingStatus) => {
    current.set(service, status);
    for (const watcher of watchers) if (watcher.service === service) watcher.wake();
  };
  const controller: HealthController = {
    setStatus: (service, status) => {
      if (!shuttingDown) set(service, status);
    },
    status: (service) => current.get(service),
    enterGracefulShutdown: () => {
      shuttingDown = true;
      for (const service of current.keys()) set(service, ServingStatus.NOT_SERVING);
    },
  };

  const serializers = { requestDeserializer: decodeRequest, responseSerializer: encodeResponse };
  server.addRegisteredMethodHandlers("grpc.health.v1.Health", {
    Check: unaryUnaryRpcMethodHandler((service: string, context: ServicerContext) => {
      const status = current.get(service);
      return status ?? context.abort(StatusCode.NOT_FOUND, `unknown service ${service}`);
    }, serializers),
    Watch: unaryStreamRpcMethodHandler(async function* (service: string, context: ServicerContext) {
      let changed: () => void = () => {};
      const watcher = { service, wake: () => changed() };
      watchers.add(watcher);
      const stop = new Promise<void>((resolve) => context.signal.addEventListener("abort", () => resolve(), { once: true }));
      try {
        let sent: ServingStatus | null = null;
        while (!context.signal.aborted) {
          const next = new Promise<void>((resolve) => (changed = resolve));
          const status = current.get(service) ?? ServingStatus.SERVICE_UNKNOWN;
          if (status !== sent) {
            sent = status;
            yield status;
          }
          await Promise.race([next, stop]);
        }
      } finally {
        watchers.delete(watcher);
      }
    }, serializers),
  });
  return controller;
}

// HealthCheckRequest { string service = 1; }
function decodeRequest(bytes: Uint8Array): string {
  const reader = new BinaryReader(bytes);
  let service = "";
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === 1 && wireType === WireType.LengthDelimited) service = reader.string();
    else reader.skip(wireType);
  }
  return service;
}

// HealthCheckResponse { ServingStatus status = 1; }
function encodeResponse(status: ServingStatus): Uint8Array {
  const writer = new BinaryWriter();
  if (status !== ServingStatus.UNKNOWN) writer.tag(1, WireType.Varint).int32(status);
  return writer.finish();
}
