// Server reflection (v1 and v1alpha), called by a generic client: plain @grpc/grpc-js with the
// .proto loaded by @grpc/proto-loader, as grpcurl would call it.
import * as path from "node:path";
import { create, createFileRegistry, fromBinary } from "@bufbuild/protobuf";
import {
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
  FileDescriptorProtoSchema,
  file_google_protobuf_descriptor,
  file_google_protobuf_timestamp,
} from "@bufbuild/protobuf/wkt";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { checkLeaksAfterAll, startTestServer, type TestServer } from "@tsgrpc/test-utils";
import { addReflection } from "./reflection.js";

// test/echo.proto: a service, a message with a nested message and an imported type, an enum, and
// an extension of google.protobuf.MessageOptions.
const echoFile = createFileRegistry(
  create(FileDescriptorProtoSchema, {
    name: "test/echo.proto",
    package: "test",
    syntax: "proto3",
    dependency: ["google/protobuf/timestamp.proto", "google/protobuf/descriptor.proto"],
    messageType: [
      {
        name: "EchoRequest",
        field: [
          {
            name: "at",
            number: 1,
            type: FieldDescriptorProto_Type.MESSAGE,
            typeName: ".google.protobuf.Timestamp",
            label: FieldDescriptorProto_Label.OPTIONAL,
            jsonName: "at",
          },
        ],
        nestedType: [{ name: "Inner" }],
      },
    ],
    enumType: [{ name: "Mood", value: [{ name: "MOOD_UNSPECIFIED", number: 0 }] }],
    extension: [
      {
        name: "tag",
        number: 50001,
        type: FieldDescriptorProto_Type.STRING,
        label: FieldDescriptorProto_Label.OPTIONAL,
        extendee: ".google.protobuf.MessageOptions",
        jsonName: "tag",
      },
    ],
    service: [{ name: "Echo", method: [{ name: "Say", inputType: ".test.EchoRequest", outputType: ".test.EchoRequest" }] }],
  }),
  (name) => [file_google_protobuf_timestamp, file_google_protobuf_descriptor].find((f) => f.proto.name === name),
).getFile("test/echo.proto");

type Request = Record<string, unknown>;
interface Response {
  original_request: Request;
  message_response: string;
  file_descriptor_response?: { file_descriptor_proto: Buffer[] };
  list_services_response?: { service: { name: string }[] };
  all_extension_numbers_response?: { base_type_name: string; extension_number: number[] };
  error_response?: { error_code: number; error_message: string };
}
type ReflectionClient = grpc.Client & { ServerReflectionInfo(): grpc.ClientDuplexStream<Request, Response> };

const definition = protoLoader.loadSync(path.join(__dirname, "..", "..", "proto", "grpc", "reflection", "v1", "reflection.proto"), {
  keepCase: true,
  oneofs: true,
});

/** A client of `grpc.reflection.<version>`: v1alpha is v1's protocol under another package name. */
function clientFor(version: string, target: string): ReflectionClient {
  const v1 = definition["grpc.reflection.v1.ServerReflection"] as grpc.ServiceDefinition;
  const info = v1.ServerReflectionInfo as grpc.MethodDefinition<Request, Response>;
  const service = { ServerReflectionInfo: { ...info, path: `/grpc.reflection.${version}.ServerReflection/ServerReflectionInfo` } };
  const Ctor = grpc.makeGenericClientConstructor(service, "ServerReflection") as unknown as new (
    target: string,
    creds: grpc.ChannelCredentials,
  ) => ReflectionClient;
  return new Ctor(target, grpc.credentials.createInsecure());
}

checkLeaksAfterAll();

describe.each(["v1", "v1alpha"])("grpc.reflection.%s through a generic client", (version) => {
  let t: TestServer;
  let client: ReflectionClient;
  beforeAll(async () => {
    if (!echoFile) throw new Error("test descriptor did not build");
    const file = echoFile;
    t = await startTestServer((s) => addReflection(s, [file]));
    client = clientFor(version, t.target);
  });
  afterAll(async () => {
    client.close();
    await t.close();
  });

  /** Sends each request on one stream and collects one response per request. */
  async function ask(...requests: Request[]): Promise<Response[]> {
    const stream = client.ServerReflectionInfo();
    const responses: Response[] = [];
    const done = new Promise<void>((resolve, reject) => {
      stream.on("data", (r: Response) => responses.push(r));
      stream.on("end", resolve);
      stream.on("error", reject);
    });
    for (const request of requests) stream.write(request);
    stream.end();
    await done;
    return responses;
  }
  const fileNames = (r: Response | undefined) =>
    r?.file_descriptor_response?.file_descriptor_proto.map((bytes) => fromBinary(FileDescriptorProtoSchema, bytes).name);

  it("lists services, and finds the file of a service, a method, a nested message and an enum, with its imports", async () => {
    const [list, byService, byMethod, byNested, byEnum] = await ask(
      { list_services: "" },
      { file_containing_symbol: "test.Echo" },
      { file_containing_symbol: "test.Echo.Say" },
      { file_containing_symbol: "test.EchoRequest.Inner" },
      { file_containing_symbol: "test.Mood" },
    );
    expect(list?.list_services_response?.service).toEqual([{ name: "test.Echo" }]);
    const expected = ["test/echo.proto", "google/protobuf/timestamp.proto", "google/protobuf/descriptor.proto"];
    for (const response of [byService, byMethod, byNested, byEnum]) expect(fileNames(response)?.sort()).toEqual([...expected].sort());
    expect(byMethod?.original_request).toMatchObject({ file_containing_symbol: "test.Echo.Say" });
    const echo = fromBinary(FileDescriptorProtoSchema, byService?.file_descriptor_response?.file_descriptor_proto[0] ?? new Uint8Array());
    expect(echo.service[0]?.method[0]?.name).toBe("Say");
  });

  it("finds files by name and extensions by number; unknown names are NOT_FOUND errors, not failures", async () => {
    const [byName, extensions, byExtension, unknown] = await ask(
      { file_by_filename: "google/protobuf/timestamp.proto" },
      { all_extension_numbers_of_type: "google.protobuf.MessageOptions" },
      { file_containing_extension: { containing_type: "google.protobuf.MessageOptions", extension_number: 50001 } },
      { file_containing_symbol: "nope.Nope" },
    );
    expect(fileNames(byName)).toEqual(["google/protobuf/timestamp.proto"]);
    expect(extensions?.all_extension_numbers_response).toEqual({
      base_type_name: "google.protobuf.MessageOptions",
      extension_number: [50001],
    });
    expect(fileNames(byExtension)?.[0]).toBe("test/echo.proto");
    expect(unknown?.error_response).toEqual({ error_code: grpc.status.NOT_FOUND, error_message: "symbol nope.Nope not found" });
  });
});
