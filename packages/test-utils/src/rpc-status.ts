import { RpcError, StatusCode } from "@tsgrpc/runtime";

/** How a call ended, as `[code, details]`: `[OK, ""]`, or the code and details of the RpcError it threw. */
export async function rpcStatus(promise: Promise<unknown>): Promise<[StatusCode, string]> {
  try {
    await promise;
    return [StatusCode.OK, ""];
  } catch (error) {
    if (!(error instanceof RpcError)) throw error;
    return [error.code(), error.details()];
  }
}
