import { type Channel, insecureChannel } from "@tsgrpc/runtime";

/**
 * The service config of a channel spread over several servers: `round_robin` keeps a connection
 * to every address and sends each call to the next one; calls that fail with UNAVAILABLE (a
 * server that went away) are retried on another, up to 4 attempts with backoff.
 *
 * Retries are transparent to the caller, so only retry methods that are safe to repeat: a request
 * a dying server was processing may have taken effect. For users.Users both methods are.
 *
 * @see https://github.com/grpc/grpc/blob/master/doc/service_config.md
 * @see https://github.com/grpc/proposal/blob/master/A6-client-retries.md
 */
export const balancedServiceConfig = {
  loadBalancingConfig: [{ round_robin: {} }],
  methodConfig: [
    {
      name: [{ service: "users.Users" }],
      retryPolicy: {
        maxAttempts: 4,
        initialBackoff: "0.05s",
        maxBackoff: "0.5s",
        backoffMultiplier: 2,
        retryableStatusCodes: ["UNAVAILABLE"],
      },
    },
  ],
};

/**
 * One channel over a static list of servers, `ipv4:127.0.0.1:p1,127.0.0.1:p2,…`, balanced round
 * robin with retries (`balancedServiceConfig`). With DNS, a `dns:///users.internal:50051` target
 * whose name resolves to every server's address works the same way.
 */
export function balancedChannel(host: string, ports: readonly number[]): Channel {
  const target = `ipv4:${ports.map((port) => `${host}:${port}`).join(",")}`;
  return insecureChannel(target, { options: { "grpc.service_config": JSON.stringify(balancedServiceConfig) } });
}
