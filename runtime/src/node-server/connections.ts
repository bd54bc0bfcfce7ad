import type { Socket } from "node:net";
import { Waiters } from "../transport/waiters.js";

/**
 * The sockets of one server, which grpc-js does not let go of on its own: a stop must be able to
 * end every one of them (a peer that never reads, or never spoke HTTP/2, holds grpc-js's shutdown
 * forever), and a connection that starts no RPC within the handshake timeout is closed.
 */
export class Connections {
  readonly #sockets = new Set<Socket>();
  // TCP connections that have not started an RPC yet, by `address:port` (what grpc-js reports).
  readonly #awaitingRpc = new Map<string, NodeJS.Timeout>();
  readonly #handshakeTimeoutMs: number;
  readonly #emptied = new Waiters();

  constructor(handshakeTimeoutMs: number) {
    this.#handshakeTimeoutMs = handshakeTimeoutMs;
  }

  add(socket: Socket): void {
    this.#sockets.add(socket);
    const key = socket.remoteAddress === undefined ? null : `${socket.remoteAddress}:${socket.remotePort}`;
    if (key !== null && Number.isFinite(this.#handshakeTimeoutMs)) {
      this.#awaitingRpc.set(
        key,
        setTimeout(() => socket.destroy(), this.#handshakeTimeoutMs),
      );
    }
    socket.once("close", () => {
      this.#sockets.delete(socket);
      if (key !== null) this.#rpcStarted(key);
      if (this.#sockets.size === 0) this.#emptied.wakeAll();
    });
  }

  /** An RPC arrived from this peer: its connection has shown it speaks gRPC. */
  rpcStarted(remoteAddress: string | undefined, remotePort: number | undefined): void {
    if (this.#awaitingRpc.size === 0 || remoteAddress === undefined) return;
    this.#rpcStarted(`${remoteAddress}:${remotePort}`);
  }

  /** Resolves once every tracked socket has closed. */
  allClosed(): Promise<void> {
    if (this.#sockets.size === 0) return Promise.resolve();
    return this.#emptied.wait();
  }

  destroyAll(): void {
    for (const socket of this.#sockets) socket.destroy();
  }

  #rpcStarted(key: string): void {
    const timer = this.#awaitingRpc.get(key);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.#awaitingRpc.delete(key);
  }
}
