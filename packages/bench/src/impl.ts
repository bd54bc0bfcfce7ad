/**
 * What every benchmarked implementation provides: a server, a client and its message codec. The
 * anchors (packages/bench/anchors) implement the same shape in their own npm project.
 */

/** A running benchmark server. */
export interface BenchServer {
  readonly port: number;
  /** How many users the ServerStream handler has handed to the transport so far. */
  sent(): number;
  stop(): Promise<void>;
}

/** A connected benchmark client; every method makes one RPC on the Bench service. */
export interface BenchClient {
  /** One Unary call echoing the sample user. */
  unary(): Promise<void>;
  /** Reads a ServerStream of `count` users; resolves to how many arrived. */
  serverStream(count: number): Promise<number>;
  /** Sends `count` users on one ClientStream call; resolves to the server's count. */
  clientStream(count: number): Promise<number>;
  /** `count` ping-pong round trips on one Bidi call (send one, await its echo). */
  bidi(count: number): Promise<number>;
  /**
   * Asks for `count` users, reads one per `readIntervalMs` until `durationMs` passed, then cancels.
   * Resolves to how many it read.
   */
  slowRead(count: number, durationMs: number, readIntervalMs: number): Promise<number>;
  close(): void;
}

/** Encodes and decodes the sample user with an implementation's own messages. */
export interface BenchCodec {
  /** Encodes the sample user, decodes the bytes, and returns the encoded size. */
  roundTrip(): number;
}

/** One implementation under test. */
export interface BenchImpl {
  /** Binds 127.0.0.1 on a free port. `naive` ServerStream handlers ignore `'drain'` (counter-example). */
  startServer(): Promise<BenchServer>;
  connect(port: number): Promise<BenchClient>;
  codec: BenchCodec;
}

/** The sample user every implementation sends. */
export const sampleUser = {
  username: "christie",
  userId: 4242,
  email: "christie@example.com",
  tags: ["admin", "beta", "eu-west"],
  createdAtMs: 1_700_000_000_000,
} as const;
