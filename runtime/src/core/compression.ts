/** Compression algorithms, with grpcio's names and grpc-js's numbers. */
export enum Compression {
  /** Messages are sent uncompressed. */
  NoCompression = 0,
  /** `deflate` message compression. */
  Deflate = 1,
  /** `gzip` message compression. */
  Gzip = 2,
}
