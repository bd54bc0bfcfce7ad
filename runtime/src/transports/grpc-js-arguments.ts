/**
 * Refuses grpc-js channel arguments given to the node-http2 transport, which does not read them:
 * `lead` says where they were given, and each key is named with the typed option to use instead
 * (`typedOptionOf`), or "(no equivalent)".
 */
export function refuseGrpcJsArguments(
  lead: string,
  raw: Record<string, string | number> | undefined,
  typedOptionOf: Readonly<Record<string, string>>,
): void {
  const keys = Object.keys(raw ?? {});
  if (keys.length === 0) return;
  const hints = keys.map((key) => {
    const typed = typedOptionOf[key];
    return typed === undefined ? `"${key}" (no equivalent)` : `"${key}" → ${typed}`;
  });
  throw new TypeError(`${lead}, which the "node-http2" transport does not read; use the typed options instead: ${hints.join(", ")}`);
}
