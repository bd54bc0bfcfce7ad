import { expectLines, generate, generatedFile } from "./__tests__/protos.js";

const users = {
  "users/types.proto": `
    syntax = "proto3";
    package users;
    message CreateUserRequest { string username = 1; }
    message CreateUserResult { string username = 1; }
  `,
  "users/users.proto": `
    syntax = "proto3";
    package users;
    import "users/types.proto";
    // The users service.
    service Users {
      // Creates a user.
      rpc CreateUser(CreateUserRequest) returns (CreateUserResult);
      rpc GetUsers(CreateUserRequest) returns (stream CreateUserResult);
      rpc Upload(stream CreateUserRequest) returns (CreateUserResult);
      rpc Chat(stream CreateUserRequest) returns (stream CreateUserResult);
    }
  `,
};

describe("users_grpc.ts", () => {
  const grpc = generatedFile(generate(users), "users/users_grpc.ts");

  test("imports the runtime, the messages and the service descriptor", () => {
    expectLines(grpc, [`import { assertRuntimeVersion, esMethod, servicerMethodHandlers, StatusCode } from "@tsgrpc/runtime";`]);
    expectLines(grpc, [`import type { MessageInitShape } from "@bufbuild/protobuf";`]);
    expectLines(grpc, [
      `import type { CreateUserRequest, CreateUserRequestSchema, CreateUserResult, CreateUserResultSchema } from "./types_pb.js";`,
      `import { Users } from "./users_pb.js";`,
      ``,
      `assertRuntimeVersion("0.1");`,
    ]);
  });

  test("stub fields and constructor", () => {
    expectLines(grpc, [
      `export class UsersStub {`,
      `  /**`,
      `   * Creates a user.`,
      `   *`,
      `   * @generated from rpc users.Users.CreateUser`,
      `   */`,
      `  readonly CreateUser: UnaryUnaryMultiCallable<MessageInitShape<typeof CreateUserRequestSchema>, CreateUserResult>;`,
    ]);
    expectLines(grpc, [
      `  constructor(channel: Channel) {`,
      `    this.CreateUser = channel.unaryUnary(esMethod(Users.method.createUser));`,
      `    this.GetUsers = channel.unaryStream(esMethod(Users.method.getUsers));`,
      `    this.Upload = channel.streamUnary(esMethod(Users.method.upload));`,
      `    this.Chat = channel.streamStream(esMethod(Users.method.chat));`,
      `  }`,
      `}`,
    ]);
    expectLines(grpc, [`  readonly Chat: StreamStreamMultiCallable<MessageInitShape<typeof CreateUserRequestSchema>, CreateUserResult>;`]);
  });

  test("servicer methods of each kind answer UNIMPLEMENTED by default", () => {
    expectLines(grpc, [
      `  CreateUser(_request: CreateUserRequest, context: ServicerContext): MaybePromise<MessageInitShape<typeof CreateUserResultSchema>> {`,
      `    return context.abort(StatusCode.UNIMPLEMENTED, "Method not implemented!");`,
      `  }`,
    ]);
    expectLines(grpc, [
      `  GetUsers(_request: CreateUserRequest, context: ServicerContext): ResponseIterable<MessageInitShape<typeof CreateUserResultSchema>> {`,
    ]);
    expectLines(grpc, [
      `  Upload(_requests: AsyncIterable<CreateUserRequest>, context: ServicerContext): MaybePromise<MessageInitShape<typeof CreateUserResultSchema>> {`,
    ]);
    expectLines(grpc, [
      `  Chat(_requests: AsyncIterable<CreateUserRequest>, context: ServicerContext): ResponseIterable<MessageInitShape<typeof CreateUserResultSchema>> {`,
    ]);
  });

  test("registration function", () => {
    expectLines(grpc, [
      `/**`,
      " * Registers `servicer` on `server`. Methods it does not implement answer UNIMPLEMENTED.",
      ` *`,
      ` * @generated from service users.Users`,
      ` */`,
      `export function addUsersServicerToServer(servicer: Partial<UsersServicer>, server: Server): void {`,
      `  server.addRegisteredMethodHandlers("users.Users", servicerMethodHandlers(servicer, {`,
      `    CreateUser: esMethod(Users.method.createUser),`,
      `    GetUsers: esMethod(Users.method.getUsers),`,
      `    Upload: esMethod(Users.method.upload),`,
      `    Chat: esMethod(Users.method.chat),`,
      `  }));`,
      `}`,
    ]);
  });

  test("a file without services gets no _grpc.ts", () => {
    expect([...generate(users).keys()]).toEqual(["users/types_pb.ts", "users/users_grpc.ts", "users/users_pb.ts"]);
  });
});

test("method_names=camel names both sides in camelCase", () => {
  const grpc = generatedFile(generate(users, "method_names=camel"), "users/users_grpc.ts");
  expectLines(grpc, [
    `  readonly createUser: UnaryUnaryMultiCallable<MessageInitShape<typeof CreateUserRequestSchema>, CreateUserResult>;`,
  ]);
  expectLines(grpc, [`    this.createUser = channel.unaryUnary(esMethod(Users.method.createUser));`]);
  expectLines(grpc, [
    `  createUser(_request: CreateUserRequest, context: ServicerContext): MaybePromise<MessageInitShape<typeof CreateUserResultSchema>> {`,
  ]);
  // The server routes by proto name: the servicer's camelCase methods are registered under it.
  expectLines(grpc, [
    `  const methods = {`,
    `    CreateUser: servicer.createUser?.bind(servicer),`,
    `    GetUsers: servicer.getUsers?.bind(servicer),`,
    `    Upload: servicer.upload?.bind(servicer),`,
    `    Chat: servicer.chat?.bind(servicer),`,
    `  };`,
    `  server.addRegisteredMethodHandlers("users.Users", servicerMethodHandlers(methods, {`,
    `    CreateUser: esMethod(Users.method.createUser),`,
  ]);
});

describe("messages=ts-proto", () => {
  const grpc = generatedFile(generate(users, "messages=ts-proto"), "users/users_grpc.ts");

  test("imports ts-proto's messages and DeepPartial from its files", () => {
    expectLines(grpc, [
      `import type { DeepPartial } from "./types.js";`,
      `import { CreateUserRequest, CreateUserResult } from "./types.js";`,
    ]);
    expect(grpc).not.toContain("@bufbuild/protobuf");
  });

  test("one MethodDefinition per method, from ts-proto's MessageFns", () => {
    expectLines(grpc, [
      `const Users_GetUsersMethod: MethodDefinition<CreateUserRequest, CreateUserResult, DeepPartial<CreateUserRequest>, DeepPartial<CreateUserResult>> = {`,
      `  path: "/users.Users/GetUsers",`,
      `  requestStream: false,`,
      `  responseStream: true,`,
      `  serializeRequest: (request) => CreateUserRequest.encode(CreateUserRequest.fromPartial(request)).finish(),`,
      `  deserializeRequest: (bytes) => CreateUserRequest.decode(bytes),`,
      `  serializeResponse: (response) => CreateUserResult.encode(CreateUserResult.fromPartial(response)).finish(),`,
      `  deserializeResponse: (bytes) => CreateUserResult.decode(bytes),`,
      `};`,
    ]);
    expectLines(grpc, [`  path: "/users.Users/Chat",`, `  requestStream: true,`, `  responseStream: true,`]);
  });

  test("stubs take DeepPartial requests, servicers return DeepPartial responses", () => {
    expectLines(grpc, [`  readonly CreateUser: UnaryUnaryMultiCallable<DeepPartial<CreateUserRequest>, CreateUserResult>;`]);
    expectLines(grpc, [`    this.CreateUser = channel.unaryUnary(Users_CreateUserMethod);`]);
    expectLines(grpc, [
      `  Chat(_requests: AsyncIterable<CreateUserRequest>, context: ServicerContext): ResponseIterable<DeepPartial<CreateUserResult>> {`,
    ]);
    expectLines(grpc, [`    CreateUser: Users_CreateUserMethod,`]);
  });

  test("writes no message files", () => {
    expect([...generate(users, "messages=ts-proto").keys()]).toEqual(["users/users_grpc.ts"]);
  });

  test("ts-proto's names: nested types joined by _, snake_case camelCased, Date suffixed", () => {
    const files = generate(
      {
        "n.proto": `syntax = "proto3"; package n;
          message Outer { message inner_part {} }
          message Date {}
          service S { rpc A(Outer.inner_part) returns (Date); }`,
      },
      "messages=ts-proto",
    );
    expectLines(generatedFile(files, "n_grpc.ts"), [`import { DateMessage, Outer_innerPart } from "./n.js";`]);
  });
});

test("parameters and globals of the generated code are never shadowed by imported messages", () => {
  const grpc = generatedFile(
    generate({
      "p.proto": `syntax = "proto3"; package p;
        message context {} message servicer {} message server {} message channel {} message Partial {}
        service S { rpc A(context) returns (servicer); rpc B(stream server) returns (channel); rpc C(Partial) returns (Partial); }`,
    }),
    "p_grpc.ts",
  );
  expectLines(grpc, [`  A(_request: context$1, context: ServicerContext): MaybePromise<MessageInitShape<typeof servicerSchema>> {`]);
  expectLines(grpc, [`export function addSServicerToServer(servicer: Partial<SServicer>, server: Server): void {`]);
  expect(grpc).toContain(
    `import type { channel as channel$1, channelSchema, context as context$1, contextSchema, Partial$, PartialSchema, server as server$1, serverSchema, servicer as servicer$1, servicerSchema } from "./p_pb.js";`,
  );
});

test("messages=none writes only _grpc.ts", () => {
  expect([...generate(users, "messages=none").keys()]).toEqual(["users/users_grpc.ts"]);
});

test("keep_empty_files=true keeps the _grpc.ts of a file without services", () => {
  const files = generate(users, "keep_empty_files=true,messages=none");
  expect(generatedFile(files, "users/types_grpc.ts")).toMatch(/^\/\/ @generated by protoc-gen-ts v\d+\.\d+\.\d+ with parameter/);
  expect(generatedFile(files, "users/types_grpc.ts")).not.toContain("assertRuntimeVersion");
});

describe("names that cannot be used as written get a $ suffix", () => {
  const proto = {
    "x.proto": `
      syntax = "proto3";
      package x;
      message M {}
      service S {
        rpc then(M) returns (M);
        rpc constructor(M) returns (M);
        rpc ToString(M) returns (M);
      }
    `,
  };

  test("with method_names=proto", () => {
    const grpc = generatedFile(generate(proto), "x_grpc.ts");
    expectLines(grpc, [`  readonly then$: UnaryUnaryMultiCallable<MessageInitShape<typeof MSchema>, M>;`]);
    expectLines(grpc, [`  readonly constructor$: UnaryUnaryMultiCallable<MessageInitShape<typeof MSchema>, M>;`]);
    expectLines(grpc, [
      `    this.then$ = channel.unaryUnary(esMethod(S.method.then));`,
      `    this.constructor$ = channel.unaryUnary(esMethod(S.method.constructor$));`,
      `    this.ToString = channel.unaryUnary(esMethod(S.method.toString$));`,
    ]);
    expectLines(grpc, [`  then$(_request: M, context: ServicerContext): MaybePromise<MessageInitShape<typeof MSchema>> {`]);
    expectLines(grpc, [`  constructor$(_request: M, context: ServicerContext): MaybePromise<MessageInitShape<typeof MSchema>> {`]);
    // Registered under the proto names the server routes by.
    expectLines(grpc, [
      `  const methods = {`,
      `    then: servicer.then$?.bind(servicer),`,
      `    constructor: servicer.constructor$?.bind(servicer),`,
      `    ToString: servicer.ToString?.bind(servicer),`,
      `  };`,
      `  server.addRegisteredMethodHandlers("x.S", servicerMethodHandlers(methods, {`,
      `    then: esMethod(S.method.then),`,
      `    constructor: esMethod(S.method.constructor$),`,
      `    ToString: esMethod(S.method.toString$),`,
      `  }));`,
    ]);
  });

  test("__proto__ is a computed key, so it names a property instead of setting the prototype", () => {
    const grpc = generatedFile(
      generate({ "z.proto": `syntax = "proto3"; package z; message M {} service S { rpc __proto__(M) returns (M); }` }),
      "z_grpc.ts",
    );
    expectLines(grpc, [`    ["__proto__"]: servicer.__proto__$?.bind(servicer),`]);
    expectLines(grpc, [`    ["__proto__"]: esMethod(S.method.__proto__),`]);
  });

  test("with method_names=camel", () => {
    const grpc = generatedFile(generate(proto, "method_names=camel"), "x_grpc.ts");
    expectLines(grpc, [`    this.toString$ = channel.unaryUnary(esMethod(S.method.toString$));`]);
  });

  test("methods that would share a name are an error", () => {
    const clash = { "y.proto": `syntax = "proto3"; package y; message M {} service S { rpc Foo(M) returns (M); rpc foo(M) returns (M); }` };
    expect(() => generate(clash, "method_names=camel")).toThrow(
      'y.S: methods Foo and foo would both be named "foo" with method_names=camel',
    );
  });
});

test("an imported name that clashes is aliased", () => {
  const proto = { "c.proto": `syntax = "proto3"; package c; message Channel {} service S { rpc M(Channel) returns (Channel); }` };
  const grpc = generatedFile(generate(proto), "c_grpc.ts");
  expect(grpc).toMatch(/^import type \{ Channel as Channel\$1, .*\} from "@tsgrpc\/runtime";$/m);
  expectLines(grpc, [`  constructor(channel: Channel$1) {`]);
});

test("comments become TSDoc: leading, trailing, detached, deprecated, */ escaped", () => {
  const proto = {
    "d.proto": `
      syntax = "proto3";
      package d;
      message M {}
      // Old service.
      service S {
        option deprecated = true;

        // Section heading.

        // Leading, with */ inside.
        //   indented line
        rpc A(M) returns (M) { // Trailing.
          option deprecated = true;
        }
      }
    `,
  };
  const grpc = generatedFile(generate(proto), "d_grpc.ts");
  expectLines(grpc, [
    `/**`,
    ` * Old service.`,
    ` *`,
    ` * @generated from service d.S`,
    ` * @deprecated`,
    ` */`,
    `export class SStub {`,
    `  // Section heading.`,
    ``,
    `  /**`,
    `   * Leading, with *\\/ inside.`,
    `   *   indented line`,
    `   *`,
    `   * Trailing.`,
    `   *`,
    `   * @generated from rpc d.S.A`,
    `   * @deprecated`,
    `   */`,
    `  readonly A: UnaryUnaryMultiCallable<MessageInitShape<typeof MSchema>, M>;`,
  ]);
});

test("well-known types are imported from @bufbuild/protobuf/wkt", () => {
  const proto = {
    "w.proto": `syntax = "proto3"; package w; import "google/protobuf/empty.proto"; service S { rpc Ping(google.protobuf.Empty) returns (google.protobuf.Empty); }`,
  };
  const grpc = generatedFile(generate(proto), "w_grpc.ts");
  expectLines(grpc, [`import type { Empty, EmptySchema } from "@bufbuild/protobuf/wkt";`]);
  expectLines(grpc, [`  readonly Ping: UnaryUnaryMultiCallable<MessageInitShape<typeof EmptySchema>, Empty>;`]);
});

test("import_extension=none and the plugin version in the header", () => {
  const files = generate(users, "import_extension=none");
  const grpc = generatedFile(files, "users/users_grpc.ts");
  expectLines(grpc, [`import { Users } from "./users_pb";`]);
  expectLines(grpc, [
    `// @generated by protoc-gen-ts v0.1.0 with parameter "target=ts,import_extension=none"`,
    `// @generated from file users/users.proto (package users, syntax proto3)`,
  ]);
  expect(generatedFile(files, "users/users_pb.ts")).toMatch(
    /^\/\/ @generated by protoc-gen-es v2\.\d+\.\d+ with parameter "target=ts,import_extension=none"$/m,
  );
});

test("elide_plugin_version=true leaves versions out of the header", () => {
  const files = generate(users, "elide_plugin_version=true");
  expectLines(generatedFile(files, "users/users_grpc.ts"), [
    `// @generated by protoc-gen-ts with parameter "target=ts,import_extension=js,elide_plugin_version=true"`,
  ]);
  expectLines(generatedFile(files, "users/users_pb.ts"), [
    `// @generated by protoc-gen-es with parameter "target=ts,import_extension=js,elide_plugin_version=true"`,
  ]);
});

describe("comments", () => {
  const grpc = generatedFile(
    generate({
      "c.proto": `syntax = "proto3";
package c;
message M {}

// Detached.

// Leading with */ inside.
service S { // Trailing.
  option deprecated = true;
  // First.
  //
  // Second.
  rpc A(M) returns (M); // After */
  rpc B(M) returns (M) { option deprecated = true; }
}
`,
    }),
    "c_grpc.ts",
  );

  test("leading and trailing comments become TSDoc with */ escaped, detached ones stay // lines", () => {
    expectLines(grpc, [
      `// Detached.`,
      ``,
      `/**`,
      ` * Leading with *\\/ inside.`,
      ` *`,
      ` * Trailing.`,
      ` *`,
      ` * @generated from service c.S`,
      ` * @deprecated`,
      ` */`,
      `export class SStub {`,
      `  /**`,
      `   * First.`,
      `   *`,
      `   * Second.`,
      `   *`,
      `   * After *\\/`,
      `   *`,
      `   * @generated from rpc c.S.A`,
      `   */`,
    ]);
  });

  test("deprecated services and methods are @deprecated on every symbol", () => {
    expect(grpc.match(/@generated from service c\.S\n \* @deprecated/g)?.length).toBe(3);
    expect(grpc.match(/@generated from rpc c\.S\.B\n {3}\* @deprecated/g)?.length).toBe(2);
  });

  test("every generated symbol carries @generated from", () => {
    const ts = generatedFile(
      generate({ "c.proto": `syntax = "proto3"; package c; message M {} service S { rpc A(M) returns (M); }` }, "messages=ts-proto"),
      "c_grpc.ts",
    );
    expectLines(ts, [
      `/**`,
      ` * The path, shape and wire format of this method, with ts-proto's messages.`,
      ` *`,
      ` * @generated from rpc c.S.A`,
      ` */`,
      `const S_AMethod: MethodDefinition<M, M, DeepPartial<M>, DeepPartial<M>> = {`,
    ]);
    for (const declaration of ["export class SStub", "export class SServicer", "export function addSServicerToServer", "const S_AMethod"]) {
      const before = ts.slice(0, ts.indexOf(declaration));
      expect(before.slice(before.lastIndexOf("/**"))).toMatch(/@generated from (service c\.S|rpc c\.S\.A)\n \*\/\n$/);
    }
  });
});
