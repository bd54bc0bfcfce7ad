/** The four RPC kinds, by the names of the runtime's method-handler helpers. */
export const rpcKinds = ["unaryUnary", "unaryStream", "streamUnary", "streamStream"] as const;

export type RpcKind = (typeof rpcKinds)[number];

/** Whether each kind streams its requests and its responses. */
export const rpcShapes: Record<RpcKind, { requestStream: boolean; responseStream: boolean }> = {
  unaryUnary: { requestStream: false, responseStream: false },
  unaryStream: { requestStream: false, responseStream: true },
  streamUnary: { requestStream: true, responseStream: false },
  streamStream: { requestStream: true, responseStream: true },
};
