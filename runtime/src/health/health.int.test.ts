// The health service, called by a generic client: plain @grpc/grpc-js with the .proto loaded by
// @grpc/proto-loader, as a load balancer or grpc_health_probe would call it.
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { checkLeaksAfterAll, startTestServer, type TestServer } from "@tsgrpc/test-utils";
import { addHealthServicer, type HealthController, ServingStatus } from "./health.js";

interface HealthClient extends grpc.Client {
  Check(request: { service: string }, callback: (error: grpc.ServiceError | null, response?: { status: string }) => void): void;
  Watch(request: { service: string }): grpc.ClientReadableStream<{ status: string }>;
}

const definition = protoLoader.loadSync(path.join(__dirname, "..", "..", "proto", "grpc", "health", "v1", "health.proto"), {
  enums: String,
  defaults: true,
});
const Health = (grpc.loadPackageDefinition(definition).grpc as grpc.GrpcObject).health as grpc.GrpcObject;
const HealthClientCtor = (Health.v1 as grpc.GrpcObject).Health as unknown as new (
  target: string,
  creds: grpc.ChannelCredentials,
) => HealthClient;

checkLeaksAfterAll();

describe("grpc.health.v1 through a generic client", () => {
  let t: TestServer;
  let health: HealthController;
  let client: HealthClient;
  beforeAll(async () => {
    t = await startTestServer((s) => {
      health = addHealthServicer(s);
    });
    client = new HealthClientCtor(t.target, grpc.credentials.createInsecure());
  });
  afterAll(async () => {
    client.close();
    await t.close();
  });

  const check = (service: string) =>
    new Promise<string>((resolve, reject) =>
      client.Check({ service }, (error, response) => (error ? reject(error) : resolve(response?.status ?? ""))),
    );

  it("Check: the server is SERVING; a service's status as set; NOT_FOUND for an unknown one", async () => {
    expect(await check("")).toBe("SERVING");
    health.setStatus("users.Users", ServingStatus.NOT_SERVING);
    expect(await check("users.Users")).toBe("NOT_SERVING");
    await expect(check("nope.Nope")).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
  });

  it("Watch: the current status at once, then every change; SERVICE_UNKNOWN until registered", async () => {
    const stream = client.Watch({ service: "echo.Echo" });
    const seen: string[] = [];
    const got = (n: number) =>
      new Promise<void>((resolve) => {
        const onData = (m: { status: string }) => {
          seen.push(m.status);
          if (seen.length >= n) {
            stream.off("data", onData);
            resolve();
          }
        };
        stream.on("data", onData);
      });
    await got(1);
    health.setStatus("echo.Echo", ServingStatus.SERVING);
    await got(2);
    health.setStatus("echo.Echo", ServingStatus.SERVING);
    health.setStatus("echo.Echo", ServingStatus.NOT_SERVING);
    await got(3);
    expect(seen).toEqual(["SERVICE_UNKNOWN", "SERVING", "NOT_SERVING"]);
    const ended = new Promise<grpc.ServiceError>((resolve) => stream.on("error", resolve));
    stream.cancel();
    expect((await ended).code).toBe(grpc.status.CANCELLED);
  });

  it("enterGracefulShutdown reports every service NOT_SERVING and freezes the statuses", async () => {
    health.enterGracefulShutdown();
    health.setStatus("", ServingStatus.SERVING);
    expect(await check("")).toBe("NOT_SERVING");
    expect(health.status("users.Users")).toBe(ServingStatus.NOT_SERVING);
  });
});
