import { type DescFile, type DescMessage, type DescService, toBinary } from "@bufbuild/protobuf";
import { BinaryReader, BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { StatusCode } from "../core/status-code.js";
import { streamStreamRpcMethodHandler } from "../server/method-handlers.js";
import type { Server } from "../server/server.js";

// gRPC server reflection, grpc.reflection.v1 and v1alpha (the same messages under two package
// names; see runtime/proto/grpc/reflection/v1/reflection.proto and
// https://github.com/grpc/grpc/blob/master/doc/server-reflection.md), answered from protobuf-es
// descriptors. The messages are encoded here: the server only needs to read requests and write
// responses, and the answers are FileDescriptorProtos that protobuf-es already holds.

/** One reflection request, decoded; `raw` is echoed back as `original_request`. */
interface ReflectionRequest {
  raw: Uint8Array;
  host: string;
  fileByFilename?: string;
  fileContainingSymbol?: string;
  fileContainingExtension?: { containingType: string; extensionNumber: number };
  allExtensionNumbersOfType?: string;
  listServices?: string;
}

/** What the descriptors of a server's services can answer. */
class DescriptorIndex {
  readonly services: string[] = [];
  readonly #files = new Map<string, DescFile>();
  readonly #symbols = new Map<string, DescFile>();
  readonly #extensions = new Map<string, Map<number, DescFile>>();
  readonly #encoded = new Map<DescFile, Uint8Array>();

  constructor(sources: readonly (DescService | DescFile)[]) {
    for (const source of sources) {
      if (source.kind === "service") {
        this.services.push(source.typeName);
        this.#addFile(source.file);
      } else {
        this.services.push(...source.services.map((s) => s.typeName));
        this.#addFile(source);
      }
    }
  }

  fileByName(name: string): DescFile | undefined {
    return this.#files.get(name);
  }

  fileBySymbol(symbol: string): DescFile | undefined {
    return this.#symbols.get(symbol) ?? this.#symbols.get(symbol.slice(0, Math.max(0, symbol.lastIndexOf("."))));
  }

  fileByExtension(containingType: string, number: number): DescFile | undefined {
    return this.#extensions.get(containingType)?.get(number);
  }

  extensionNumbers(containingType: string): number[] | undefined {
    const numbers = this.#extensions.get(containingType);
    return numbers && [...numbers.keys()].sort((a, b) => a - b);
  }

  /** `file` and everything it imports, transitively, as serialized FileDescriptorProtos. */
  encodedWithDependencies(file: DescFile): Uint8Array[] {
    const seen = new Set<DescFile>();
    const visit = (f: DescFile) => {
      if (seen.has(f)) return;
      seen.add(f);
      for (const dependency of f.dependencies) visit(dependency);
    };
    visit(file);
    return [...seen].map((f) => {
      let bytes = this.#encoded.get(f);
      if (!bytes) this.#encoded.set(f, (bytes = toBinary(FileDescriptorProtoSchema, f.proto)));
      return bytes;
    });
  }

  #addFile(file: DescFile): void {
    if (this.#files.has(file.proto.name)) return;
    this.#files.set(file.proto.name, file);
    for (const service of file.services) this.#symbols.set(service.typeName, file);
    for (const e of file.enums) this.#symbols.set(e.typeName, file);
    for (const extension of file.extensions) this.#addExtension(extension.extendee.typeName, extension.number, extension.typeName, file);
    const addMessage = (message: DescMessage) => {
      this.#symbols.set(message.typeName, file);
      for (const e of message.nestedEnums) this.#symbols.set(e.typeName, file);
      for (const extension of message.nestedExtensions)
        this.#addExtension(extension.extendee.typeName, extension.number, extension.typeName, file);
      for (const nested of message.nestedMessages) addMessage(nested);
    };
    for (const message of file.messages) addMessage(message);
    for (const dependency of file.dependencies) this.#addFile(dependency);
  }

  #addExtension(extendee: string, number: number, typeName: string, file: DescFile): void {
    this.#symbols.set(typeName, file);
    let numbers = this.#extensions.get(extendee);
    if (!numbers) this.#extensions.set(extendee, (numbers = new Map()));
    numbers.set(number, file);
  }
}

/**
 * Adds gRPC server reflection (`grpc.reflection.v1` and `v1alpha`) to `server`, describing the
 * given services (protobuf-es service descriptors such as `Users`, or whole file descriptors),
 * so that tools like grpcurl and Postman can list and call them.
 *
 * @example
 * addUsersServicerToServer(new UsersService(), srv);
 * addReflection(srv, [Users]);
 */
export function addReflection(server: Server, services: readonly (DescService | DescFile)[]): void {
  const index = new DescriptorIndex(services);
  const handler = streamStreamRpcMethodHandler(
    async function* (requests: AsyncIterable<ReflectionRequest>) {
      for await (const request of requests) yield answer(index, request);
    },
    { requestDeserializer: decodeRequest, responseSerializer: (response: Uint8Array) => response },
  );
  for (const version of ["v1", "v1alpha"]) {
    server.addRegisteredMethodHandlers(`grpc.reflection.${version}.ServerReflection`, { ServerReflectionInfo: handler });
  }
}

/** The encoded ServerReflectionResponse to `request`. */
function answer(index: DescriptorIndex, request: ReflectionRequest): Uint8Array {
  const writer = new BinaryWriter();
  writer.tag(1, WireType.LengthDelimited).string(request.host);
  writer.tag(2, WireType.LengthDelimited).bytes(request.raw);
  const files = (file: DescFile | undefined, what: string) => {
    if (!file) return error(writer, StatusCode.NOT_FOUND, `${what} not found`);
    writer.tag(4, WireType.LengthDelimited).fork();
    for (const bytes of index.encodedWithDependencies(file)) writer.tag(1, WireType.LengthDelimited).bytes(bytes);
    writer.join();
  };
  if (request.listServices !== undefined) {
    writer.tag(6, WireType.LengthDelimited).fork();
    for (const name of index.services) writer.tag(1, WireType.LengthDelimited).fork().tag(1, WireType.LengthDelimited).string(name).join();
    writer.join();
  } else if (request.fileByFilename !== undefined) {
    files(index.fileByName(request.fileByFilename), `file ${request.fileByFilename}`);
  } else if (request.fileContainingSymbol !== undefined) {
    files(index.fileBySymbol(request.fileContainingSymbol), `symbol ${request.fileContainingSymbol}`);
  } else if (request.fileContainingExtension !== undefined) {
    const { containingType, extensionNumber } = request.fileContainingExtension;
    files(index.fileByExtension(containingType, extensionNumber), `extension ${extensionNumber} of ${containingType}`);
  } else if (request.allExtensionNumbersOfType !== undefined) {
    const numbers = index.extensionNumbers(request.allExtensionNumbersOfType);
    if (!numbers) error(writer, StatusCode.NOT_FOUND, `type ${request.allExtensionNumbersOfType} not found`);
    else {
      writer.tag(5, WireType.LengthDelimited).fork().tag(1, WireType.LengthDelimited).string(request.allExtensionNumbersOfType);
      for (const number of numbers) writer.tag(2, WireType.Varint).int32(number);
      writer.join();
    }
  } else {
    error(writer, StatusCode.INVALID_ARGUMENT, "unknown or empty reflection request");
  }
  return writer.finish();
}

function error(writer: BinaryWriter, code: StatusCode, message: string): void {
  writer
    .tag(7, WireType.LengthDelimited)
    .fork()
    .tag(1, WireType.Varint)
    .int32(code)
    .tag(2, WireType.LengthDelimited)
    .string(message)
    .join();
}

// ServerReflectionRequest { string host = 1; oneof message_request { string file_by_filename = 3;
// string file_containing_symbol = 4; ExtensionRequest file_containing_extension = 5;
// string all_extension_numbers_of_type = 6; string list_services = 7; } }
function decodeRequest(raw: Uint8Array): ReflectionRequest {
  const request: ReflectionRequest = { raw, host: "" };
  const reader = new BinaryReader(raw);
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (wireType !== WireType.LengthDelimited) {
      reader.skip(wireType);
      continue;
    }
    if (field === 1) request.host = reader.string();
    else if (field === 3) request.fileByFilename = reader.string();
    else if (field === 4) request.fileContainingSymbol = reader.string();
    else if (field === 5) request.fileContainingExtension = decodeExtensionRequest(reader.bytes());
    else if (field === 6) request.allExtensionNumbersOfType = reader.string();
    else if (field === 7) request.listServices = reader.string();
    else reader.skip(wireType);
  }
  return request;
}

// ExtensionRequest { string containing_type = 1; int32 extension_number = 2; }
function decodeExtensionRequest(bytes: Uint8Array): { containingType: string; extensionNumber: number } {
  const out = { containingType: "", extensionNumber: 0 };
  const reader = new BinaryReader(bytes);
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === 1 && wireType === WireType.LengthDelimited) out.containingType = reader.string();
    else if (field === 2 && wireType === WireType.Varint) out.extensionNumber = reader.int32();
    else reader.skip(wireType);
  }
  return out;
}
