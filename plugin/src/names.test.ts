import { create, createFileRegistry } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { methodMemberNames, safeMemberName } from "./names.js";

test.each([
  ["CreateUser", "CreateUser"],
  ["then", "then$"],
  ["constructor", "constructor$"],
  ["__proto__", "__proto__$"],
  ["toString", "toString$"],
  ["hasOwnProperty", "hasOwnProperty$"],
  ["withCall", "withCall"],
  ["future", "future"],
  ["delete", "delete"],
])("safeMemberName(%j) is %j", (name, expected) => {
  expect(safeMemberName(name)).toBe(expected);
});

function service(...methods: string[]) {
  const file = create(FileDescriptorProtoSchema, {
    name: "s.proto",
    package: "p",
    syntax: "proto3",
    messageType: [{ name: "M" }],
    service: [{ name: "S", method: methods.map((name) => ({ name, inputType: ".p.M", outputType: ".p.M" })) }],
  });
  const desc = createFileRegistry(file, () => undefined).getService("p.S");
  if (desc === undefined) throw new Error("no service");
  return desc;
}

test.each([
  ["proto", ["CreateUser", "Then", "ToString", "then"], ["CreateUser", "Then", "ToString", "then$"]],
  ["camel", ["CreateUser", "Then", "ToString", "getX"], ["createUser", "then$", "toString$", "getX"]],
] as const)("methodMemberNames with %s", (style, methods, expected) => {
  expect([...methodMemberNames(service(...methods), style).values()]).toEqual(expected);
});

test("methods that would share a name are an error", () => {
  expect(() => methodMemberNames(service("Foo", "foo"), "camel")).toThrow(
    'p.S: methods Foo and foo would both be named "foo" with method_names=camel',
  );
});
