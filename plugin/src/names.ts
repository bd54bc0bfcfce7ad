import type { DescMethod, DescService } from "@bufbuild/protobuf";
import type { MethodNames } from "./options.js";

/**
 * Names that cannot be used as written for a method on a stub or a servicer, or as a key of the
 * handler map passed to the runtime; they get a `$` suffix, as `protoc-gen-es` does:
 *
 * - `constructor` is a syntax error as a class field and would replace a servicer's constructor;
 * - `then` would make every stub thenable, so `await stub` would misbehave;
 * - `__proto__` as a key of an object literal sets the prototype instead of a property;
 * - the other members of `Object.prototype` exist on every servicer, implemented or not.
 */
const reservedMemberNames: ReadonlySet<string> = new Set([
  "constructor",
  "then",
  "__proto__",
  "__defineGetter__",
  "__defineSetter__",
  "__lookupGetter__",
  "__lookupSetter__",
  "hasOwnProperty",
  "isPrototypeOf",
  "propertyIsEnumerable",
  "toJSON",
  "toLocaleString",
  "toString",
  "valueOf",
]);

/** Appends `$` to a member name that cannot be used as written (see `reservedMemberNames`). */
export function safeMemberName(name: string): string {
  return reservedMemberNames.has(name) ? `${name}$` : name;
}

/**
 * The name of a method on the stub and the servicer: the proto name (`CreateUser`, as grpcio),
 * or with `method_names=camel` the name with a lower-case first letter (`createUser`).
 */
export function methodMemberName(method: DescMethod, style: MethodNames): string {
  const name = style === "camel" ? lowerFirst(method.name) : method.name;
  return safeMemberName(name);
}

/**
 * The member names of every method of a service, in declaration order. Throws when two methods
 * would get the same name (`Foo` and `foo` with `method_names=camel`).
 */
export function methodMemberNames(service: DescService, style: MethodNames): Map<DescMethod, string> {
  const names = new Map<DescMethod, string>();
  const taken = new Map<string, DescMethod>();
  for (const method of service.methods) {
    const name = methodMemberName(method, style);
    const other = taken.get(name);
    if (other !== undefined) {
      throw new Error(
        `${service.typeName}: methods ${other.name} and ${method.name} would both be named "${name}" ` + `with method_names=${style}`,
      );
    }
    taken.set(name, method);
    names.set(method, name);
  }
  return names;
}

/** `UsersStub`: the client class of a service. */
export function stubName(service: DescService): string {
  return `${service.name}Stub`;
}

/** `UsersServicer`: the base class a server implements. */
export function servicerName(service: DescService): string {
  return `${service.name}Servicer`;
}

/** `addUsersServicerToServer`: registers a servicer, as grpcio's `add_UsersServicer_to_server`. */
export function addServicerName(service: DescService): string {
  return `add${service.name}ServicerToServer`;
}

function lowerFirst(name: string): string {
  return name.length > 0 ? name.charAt(0).toLowerCase() + name.slice(1) : name;
}
