import { addressLabel, parseTarget } from "./target.js";

describe("parseTarget reads targets as grpcio does", () => {
  it.each([
    ["localhost:50051", { authority: "localhost:50051", host: "localhost", dns: { name: "localhost", port: 50051 }, addresses: [] }],
    ["example.com", { authority: "example.com", host: "example.com", dns: { name: "example.com", port: 443 }, addresses: [] }],
    ["dns:///api.test:8080", { authority: "api.test:8080", host: "api.test", dns: { name: "api.test", port: 8080 }, addresses: [] }],
    ["dns://8.8.8.8/api.test:8080", { authority: "api.test:8080", host: "api.test", dns: { name: "api.test", port: 8080 }, addresses: [] }],
    ["dns:api.test", { authority: "api.test", host: "api.test", dns: { name: "api.test", port: 443 }, addresses: [] }],
    ["127.0.0.1:5", { authority: "127.0.0.1:5", host: "127.0.0.1", dns: null, addresses: [{ host: "127.0.0.1", port: 5 }] }],
    ["[::1]:5", { authority: "[::1]:5", host: "::1", dns: null, addresses: [{ host: "::1", port: 5 }] }],
    ["::1", { authority: "::1", host: "::1", dns: null, addresses: [{ host: "::1", port: 443 }] }],
    [
      "ipv4:1.2.3.4:5,1.2.3.5:6",
      {
        authority: "1.2.3.4:5",
        host: "1.2.3.4",
        dns: null,
        addresses: [
          { host: "1.2.3.4", port: 5 },
          { host: "1.2.3.5", port: 6 },
        ],
      },
    ],
    ["ipv6:[::1]:5", { authority: "[::1]:5", host: "::1", dns: null, addresses: [{ host: "::1", port: 5 }] }],
    ["unix:/tmp/grpc.sock", { authority: "localhost", host: "localhost", dns: null, addresses: [{ path: "/tmp/grpc.sock" }] }],
    ["unix:///tmp/grpc.sock", { authority: "localhost", host: "localhost", dns: null, addresses: [{ path: "/tmp/grpc.sock" }] }],
    ["unix:relative.sock", { authority: "localhost", host: "localhost", dns: null, addresses: [{ path: "relative.sock" }] }],
  ])("%s", (target, parsed) => {
    expect(parseTarget(target)).toEqual(parsed);
  });

  it.each([
    ["host:99999", '"99999" is not a port'],
    ["host:http", '"http" is not a port'],
    ["ipv4:::1:5", "is not an IPV4 address"],
    ["ipv6:1.2.3.4:5", "is not an IPV6 address"],
    ["[::1", 'unclosed "["'],
    ["unix:", "a unix: target needs a path"],
    ["dns:///", "expected host[:port]"],
  ])("refuses %s, naming why and the forms it takes", (target, why) => {
    expect(() => parseTarget(target)).toThrow(why);
    expect(() => parseTarget(target)).toThrow(/targets look like "host:port", "host", "dns:\/\/\/host:port"/);
  });

  it("labels addresses the way errors name them", () => {
    expect(addressLabel({ host: "127.0.0.1", port: 1 })).toBe("127.0.0.1:1");
    expect(addressLabel({ host: "::1", port: 1 })).toBe("[::1]:1");
    expect(addressLabel({ path: "/tmp/s" })).toBe("unix:/tmp/s");
  });
});
