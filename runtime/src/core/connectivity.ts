/** The connectivity state of a channel, as in grpcio and grpc-js. */
export enum ChannelConnectivity {
  /** No connection attempt is under way. */
  IDLE = 0,
  /** A connection is being established. */
  CONNECTING = 1,
  /** Connected and ready for RPCs. */
  READY = 2,
  /** A connection attempt failed; the channel will retry. */
  TRANSIENT_FAILURE = 3,
  /** The channel was closed. */
  SHUTDOWN = 4,
}
