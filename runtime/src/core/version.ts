/** This runtime's version; a test keeps it equal to package.json's. */
export const runtimeVersion = "0.1.0";

/**
 * The part of a version that must match between generated code and the runtime: the major
 * version, or major.minor while the major is 0 (semver's caret rule).
 */
export function compatibilityLine(version: string): string {
  const [major = "", minor = ""] = version.split(".");
  return major === "0" ? `${major}.${minor}` : major;
}

/**
 * Called at import by generated code, with the compatibility line of the runtime it was generated
 * for. Fails with a clear message instead of obscure errors later.
 */
export function assertRuntimeVersion(generatedFor: string): void {
  const line = compatibilityLine(runtimeVersion);
  if (generatedFor !== line) {
    throw new Error(
      `@tsgrpc/runtime ${runtimeVersion} cannot run code generated for @tsgrpc/runtime ${generatedFor}.x: ` +
        `regenerate the code, or install @tsgrpc/runtime@^${generatedFor}`,
    );
  }
}
