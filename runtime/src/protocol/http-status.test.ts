import { StatusCode } from "../core/status-code.js";
import { httpStatusCode } from "./http-status.js";

describe("httpStatusCode (grpc's http-grpc-status-mapping.md)", () => {
  it.each([
    [400, StatusCode.INTERNAL],
    [401, StatusCode.UNAUTHENTICATED],
    [403, StatusCode.PERMISSION_DENIED],
    [404, StatusCode.UNIMPLEMENTED],
    [429, StatusCode.UNAVAILABLE],
    [502, StatusCode.UNAVAILABLE],
    [503, StatusCode.UNAVAILABLE],
    [504, StatusCode.UNAVAILABLE],
    [200, StatusCode.UNKNOWN],
    [500, StatusCode.UNKNOWN],
    [418, StatusCode.UNKNOWN],
  ])("HTTP %i → %i", (http, code) => {
    expect(httpStatusCode(http)).toBe(code);
  });
});
