import { type ClientHttp2Session, constants } from "node:http2";
import { ChannelConnectivity } from "../core/connectivity.js";
import { timeoutToMs } from "../core/deadline.js";
import { ConnectionBackoff } from "../node-client/backoff.js";
import { resolveAddresses } from "../node-client/resolve-addresses.js";
import { addressLabel, type ParsedTarget, parseTarget, type SocketAddress } from "../node-client/target.js";
import type { ChannelCredentials } from "../transport/client-credentials.js";
import type {
  ChannelSettings,
  ClientTransport,
  ClientTransportCapabilities,
  StartCallOptions,
  TransportCall,
  TransportMethod,
} from "../transport/transport.js";
import { Waiters } from "../transport/waiters.js";
import { NodeHttp2ClientCall } from "./client-call.js";
import type { CallSettings, ClientConnection, ConnectionBroker } from "./client-connection.js";
import { openSession } from "./client-session.js";
import { keepalivePings } from "./keepalive-pings.js";
import { sessionTimers } from "./session-timers.js";

/**
 * tsgrpc's client transport on node:http2: one HTTP/2 connection to the first of the target's
 * addresses that accepts it, made on the first call (or `connectivity(true)`), with grpc's
 * connectivity states (IDLE, CONNECTING, READY, TRANSIENT_FAILURE, SHUTDOWN), reconnect backoff,
 * `waitForReady`, keepalive PINGs and an idle timeout. The gRPC protocol of each call is in
 * `NodeHttp2ClientCall`.
 */
export class NodeHttp2ClientTransport implements ClientTransport, ConnectionBroker<NodeHttp2ClientCall> {
  readonly capabilities: ClientTransportCapabilities;
  readonly #target: ParsedTarget;
  readonly #credentials: ChannelCredentials | null;
  readonly #settings: ChannelSettings;
  /** What each call is started with: `:authority`, `:scheme`, `user-agent`, the limits. */
  readonly callSettings: CallSettings;
  #state = ChannelConnectivity.IDLE;
  #connection: ClientConnection | null = null;
  #lastError = "";
  readonly #pending = new Set<NodeHttp2ClientCall>();
  readonly #watchers = new Waiters();
  readonly #backoff: ConnectionBackoff;
  #retryTimer: NodeJS.Timeout | undefined;
  // Doubled each time a server answers the PINGs with GOAWAY "too_many_pings", as C-core does.
  #keepaliveTimeMs: number;
  readonly #connections = new Set<ClientConnection>();

  constructor(target: string, credentials: ChannelCredentials | null, settings: ChannelSettings) {
    this.#target = parseTarget(target);
    this.#credentials = credentials;
    this.#settings = settings;
    this.capabilities = { callCredentials: credentials !== null };
    this.#backoff = new ConnectionBackoff(timeoutToMs(settings.initialReconnectBackoff), timeoutToMs(settings.maxReconnectBackoff));
    this.#keepaliveTimeMs = Number.isFinite(settings.keepaliveTime) ? timeoutToMs(settings.keepaliveTime) : Number.POSITIVE_INFINITY;
    const authority = settings.defaultAuthority ?? this.#target.authority;
    this.callSettings = {
      authority,
      scheme: credentials === null ? "http" : "https",
      userAgent: settings.userAgent,
      maxSendMessageLength: settings.maxSendMessageLength,
      maxReceiveMessageLength: settings.maxReceiveMessageLength,
      channelCallCredentials: credentials?.callCredentials ?? null,
      serviceUrlBase: `https://${authority.replace(/:443$/, "")}`,
    };
  }

  start(method: TransportMethod, options: StartCallOptions, request: Uint8Array | null): TransportCall {
    // Every kind is the same HTTP/2 stream: only whether the request side ends at once differs.
    return new NodeHttp2ClientCall(this, method.path, options, request);
  }

  connectivity(tryToConnect: boolean): ChannelConnectivity {
    // The state asked about is the one before connecting starts, as grpcio answers.
    const state = this.#state;
    if (tryToConnect && state === ChannelConnectivity.IDLE) void this.#connect();
    return state;
  }

  watchConnectivity(last: ChannelConnectivity): Promise<void> {
    return this.#state !== last ? Promise.resolve() : this.#watchers.wait();
  }

  close(): void {
    if (this.#state === ChannelConnectivity.SHUTDOWN) return;
    this.#setState(ChannelConnectivity.SHUTDOWN);
    clearTimeout(this.#retryTimer);
    for (const call of this.#pending) call.failToStart("Channel closed");
    this.#pending.clear();
    for (const connection of this.#connections) {
      connection.lostReason ??= "the channel was closed";
      connection.session.destroy();
    }
    this.#connections.clear();
    this.#connection = null;
  }

  /**
   * Gives `call` a connection: at once when READY, else once one is made. Without `waitForReady`
   * a call fails with UNAVAILABLE once connecting has failed; with it, it waits (for its deadline).
   */
  pick(call: NodeHttp2ClientCall): void {
    const connection = this.#connection;
    // A session that began closing before its 'goaway' or 'close' event ran takes no new streams.
    if (connection !== null && (connection.session.closed || connection.session.destroyed)) {
      this.#connection = null;
      if (this.#state === ChannelConnectivity.READY) this.#setState(ChannelConnectivity.IDLE);
    } else if (connection !== null) {
      call.open(connection);
      return;
    }
    if (this.#state === ChannelConnectivity.SHUTDOWN) {
      call.failToStart("Channel closed");
      return;
    }
    if (this.#state === ChannelConnectivity.TRANSIENT_FAILURE && !call.waitForReady) {
      call.failToStart(this.#lastError);
      return;
    }
    this.#pending.add(call);
    if (this.#state === ChannelConnectivity.IDLE) void this.#connect();
  }

  /** `call` no longer wants a connection (it was cancelled or its deadline passed while waiting). */
  unpick(call: NodeHttp2ClientCall): void {
    this.#pending.delete(call);
  }

  /** A call opened a stream on `connection`: the connection keeps the process alive while any has. */
  streamOpened(connection: ClientConnection): void {
    if (connection.active++ === 0) connection.session.ref();
  }

  streamClosed(connection: ClientConnection): void {
    if (--connection.active === 0) {
      connection.session.unref();
      connection.idleSinceMs = Date.now();
    }
  }

  async #connect(): Promise<void> {
    this.#setState(ChannelConnectivity.CONNECTING);
    let addresses: readonly SocketAddress[];
    try {
      addresses = await resolveAddresses(this.#target);
    } catch (error) {
      this.#attemptFailed((error as Error).message);
      return;
    }
    const errors: string[] = [];
    for (const address of addresses) {
      let session: ClientHttp2Session;
      try {
        session = await openSession({
          address,
          credentials: this.#credentials,
          serverName: this.#settings.sslTargetNameOverride ?? this.#target.host,
          settings: this.#settings,
          timeoutMs: this.#backoff.connectTimeoutMs(),
        });
      } catch (error) {
        errors.push((error as Error).message);
        if (this.#state === ChannelConnectivity.SHUTDOWN) return;
        continue;
      }
      if (this.#state === ChannelConnectivity.SHUTDOWN) {
        session.destroy();
        return;
      }
      this.#ready(session, address);
      return;
    }
    this.#attemptFailed(errors.join("; "));
  }

  #ready(session: ClientHttp2Session, address: SocketAddress): void {
    const connection: ClientConnection = { session, label: addressLabel(address), lostReason: null, active: 0, idleSinceMs: Date.now() };
    this.#connections.add(connection);
    this.#connection = connection;
    this.#backoff.reset();
    session.unref();
    this.#keepConnection(connection);
    this.#setState(ChannelConnectivity.READY);
    const pending = [...this.#pending];
    this.#pending.clear();
    for (const call of pending) call.open(connection);
  }

  /** Its lifetime: GOAWAY and loss make the channel IDLE (the next call reconnects); keepalive PINGs; the idle timeout. */
  #keepConnection(connection: ClientConnection): void {
    const { session } = connection;
    const timers = sessionTimers(session);
    const detach = () => {
      if (this.#connection !== connection) return;
      this.#connection = null;
      if (this.#state === ChannelConnectivity.READY) this.#setState(ChannelConnectivity.IDLE);
    };
    session.on("goaway", (errorCode: number, _lastStreamId: number, opaqueData?: Buffer) => {
      if (errorCode === constants.NGHTTP2_ENHANCE_YOUR_CALM && opaqueData?.toString() === "too_many_pings") {
        this.#keepaliveTimeMs *= 2;
      }
      connection.lostReason ??= `${connection.label} ended the connection (GOAWAY${errorCode === 0 ? "" : ` with error ${errorCode}`})`;
      detach();
    });
    session.on("error", (error: Error) => {
      connection.lostReason ??= `the connection to ${connection.label} failed: ${error.message}`;
    });
    session.once("close", () => {
      connection.lostReason ??= `${connection.label} closed the connection`;
      this.#connections.delete(connection);
      detach();
    });
    // Keepalive: a PING every keepaliveTime while calls are in flight (or always, if permitted);
    // one unanswered for keepaliveTimeout ends the connection, failing its calls with UNAVAILABLE.
    keepalivePings(session, timers, {
      intervalMs: () => this.#keepaliveTimeMs,
      timeoutMs: timeoutToMs(this.#settings.keepaliveTimeout),
      wanted: () => connection.active > 0 || this.#settings.keepalivePermitWithoutCalls,
      unanswered: () => {
        connection.lostReason = `${connection.label} stopped answering keepalive PINGs`;
        session.destroy();
      },
    });
    // Idle: without calls for idleTimeout, the connection closes and the channel goes IDLE.
    if (!Number.isFinite(this.#settings.idleTimeout)) return;
    const idleTimeoutMs = timeoutToMs(this.#settings.idleTimeout);
    const watchIdle = (ms: number) =>
      timers.after(ms, () => {
        if (session.closed || session.destroyed) return;
        const leftMs = connection.idleSinceMs + idleTimeoutMs - Date.now();
        if (connection.active > 0 || leftMs > 0) {
          watchIdle(connection.active > 0 ? idleTimeoutMs : leftMs);
          return;
        }
        connection.lostReason = "the channel was idle";
        detach();
        session.close();
      });
    watchIdle(idleTimeoutMs);
  }

  #attemptFailed(why: string): void {
    if (this.#state === ChannelConnectivity.SHUTDOWN) return;
    this.#lastError = why;
    this.#setState(ChannelConnectivity.TRANSIENT_FAILURE);
    for (const call of this.#pending) {
      if (call.waitForReady) continue;
      this.#pending.delete(call);
      call.failToStart(why);
    }
    this.#retryTimer = setTimeout(() => void this.#connect(), this.#backoff.next());
    // Only a call waiting for the connection keeps the process alive for it.
    if (this.#pending.size === 0) this.#retryTimer.unref();
  }

  #setState(state: ChannelConnectivity): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#watchers.wakeAll();
  }
}
