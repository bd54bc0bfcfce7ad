import type { ClientCallDetails, ClientInterceptor, MetadataInit } from "@tsgrpc/runtime";

/**
 * Adds the metadata `make()` returns to every call of every kind: an auth header, a request id,
 * a tenant. `make` runs once per call, so values can change between calls.
 */
export function metadataInterceptor(make: () => MetadataInit): ClientInterceptor {
  // A copy: an outer interceptor (a retry) may pass the same details again.
  const withMetadata = (details: ClientCallDetails): ClientCallDetails => ({
    ...details,
    metadata: details.metadata.clone().merge(make()),
  });
  return {
    interceptUnaryUnary: (continuation, details, request) => continuation(withMetadata(details), request),
    interceptUnaryStream: (continuation, details, request) => continuation(withMetadata(details), request),
    interceptStreamUnary: (continuation, details, requests) => continuation(withMetadata(details), requests),
    interceptStreamStream: (continuation, details, requests) => continuation(withMetadata(details), requests),
  };
}
