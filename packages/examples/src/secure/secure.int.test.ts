import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Channel, RpcError, type Server, type ServicerContext, StatusCode } from "@tsgrpc/runtime";
import { checkLeaksAfterAll } from "@tsgrpc/test-utils";
import { UsersStub } from "../gen/users/users_grpc.js";
import type { CreateUserRequest } from "../gen/users/users_types_pb.js";
import { runUsersClient } from "../users/client.js";
import { UsersService } from "../users/users-service.js";
import { type ServerTls, secureUsersChannel, startSecureUsersServer } from "./secure-users.js";
import { makeCertificates, readTlsFiles, type TlsFiles } from "./tls-files.js";

checkLeaksAfterAll();

/** Records the client identity (the peer certificate's names) each CreateUser saw. */
class IdentityRecordingService extends UsersService {
  readonly identities: (string[] | null)[] = [];
  override async CreateUser(request: CreateUserRequest, context: ServicerContext) {
    this.identities.push(context.peerIdentities()?.map((id) => Buffer.from(id).toString()) ?? null);
    return super.CreateUser(request, context);
  }
}

let tls: TlsFiles;
let other: TlsFiles;
beforeAll(() => {
  const dirs = [mkdtempSync(join(tmpdir(), "users-certs-")), mkdtempSync(join(tmpdir(), "users-certs-"))];
  try {
    for (const dir of dirs) makeCertificates(join(__dirname, "../../scripts/make-certs.sh"), dir);
    tls = readTlsFiles(dirs[0] as string);
    other = readTlsFiles(dirs[1] as string); // a second CA nothing here trusts
  } finally {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
});

async function withServer(
  config: (files: TlsFiles) => ServerTls,
  body: (port: number, service: IdentityRecordingService) => Promise<void>,
): Promise<void> {
  const service = new IdentityRecordingService(() => {});
  const { server, port }: { server: Server; port: number } = await startSecureUsersServer("127.0.0.1:0", config(tls), service);
  try {
    await body(port, service);
  } finally {
    await server.stop(null);
  }
}

async function withChannel(channel: Channel, body: (stub: UsersStub) => Promise<void>): Promise<void> {
  try {
    await body(new UsersStub(channel));
  } finally {
    channel.close();
  }
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (e: unknown) => e as RpcError,
  );

describe("the users server over TLS", () => {
  it("runs the tutorial's client for a client that trusts the CA", async () => {
    await withServer(
      (files) => ({ identity: files.server }),
      async (port, service) => {
        const lines: string[] = [];
        const channel = secureUsersChannel(`localhost:${port}`, tls.ca);
        try {
          await runUsersClient(channel, (line) => lines.push(line));
        } finally {
          channel.close();
        }
        expect(lines).toContain("got user christie (id 2)");
        expect(service.identities).toEqual([null, null]); // no client certificate asked for
      },
    );
  });

  it("fails a client that trusts another CA with UNAVAILABLE", async () => {
    await withServer(
      (files) => ({ identity: files.server }),
      (port) =>
        withChannel(secureUsersChannel(`localhost:${port}`, other.ca), async (stub) => {
          const error = await failure(stub.CreateUser({ username: "eve" }, { timeout: 5 }));
          expect(error).toBeInstanceOf(RpcError);
          expect(error?.code()).toBe(StatusCode.UNAVAILABLE);
        }),
    );
  });
});

describe("the users server over mutual TLS", () => {
  const mutual = (files: TlsFiles): ServerTls => ({ identity: files.server, clientCa: files.ca });

  it("serves a client with a certificate from the CA, and the handler knows who it is", async () => {
    await withServer(mutual, (port, service) =>
      withChannel(secureUsersChannel(`localhost:${port}`, tls.ca, tls.client), async (stub) => {
        expect((await stub.CreateUser({ username: "tom" }, { timeout: 5 })).user?.username).toBe("tom");
        const names: string[] = [];
        for await (const result of stub.GetUsers({ user: [{ username: "alexa" }] }, { timeout: 5 }))
          names.push(result.user?.username ?? "");
        expect(names).toEqual(["alexa"]);
        expect(service.identities).toEqual([["users-client"]]);
      }),
    );
  });

  it("refuses a client without a certificate, or with one from another CA", async () => {
    await withServer(mutual, async (port, service) => {
      for (const client of [undefined, other.client]) {
        await withChannel(secureUsersChannel(`localhost:${port}`, tls.ca, client), async (stub) => {
          const error = await failure(stub.CreateUser({ username: "eve" }, { timeout: 5 }));
          expect(error).toBeInstanceOf(RpcError);
          expect(error?.code()).toBe(StatusCode.UNAVAILABLE);
        });
      }
      expect(service.identities).toEqual([]);
    });
  });
});
