import type { ClientHttp2Session } from "node:http2";
import type { CallCredentials } from "../transport/client-credentials.js";

/** One HTTP/2 connection of a channel, and what ended it. */
export interface ClientConnection {
  readonly session: ClientHttp2Session;
  /** The address connected to, as errors name it. */
  readonly label: string;
  /** Why the connection ended, in plain words, once it has (or is ending). */
  lostReason: string | null;
  /** Calls with a stream open on it. */
  active: number;
  /** When it last had no calls (Date.now()). */
  idleSinceMs: number;
}

/** What every call of a channel starts with. */
export interface CallSettings {
  readonly authority: string;
  readonly scheme: "http" | "https";
  readonly userAgent: string;
  readonly maxSendMessageLength: number;
  readonly maxReceiveMessageLength: number;
  /** The channel credentials' call credentials, run before a call's own. */
  readonly channelCallCredentials: CallCredentials | null;
  /** `https://authority` (port 443 left out): with `/package.Service`, the service URL given to call credentials, as grpcio builds it. */
  readonly serviceUrlBase: string;
}

/** What a call asks of its channel's transport: a connection, and to be told of its stream. */
export interface ConnectionBroker<C> {
  readonly callSettings: CallSettings;
  /** Gives `call` a connection (`call.open`) now or once there is one, or fails it (`call.failToStart`). */
  pick(call: C): void;
  /** `call` no longer wants a connection. */
  unpick(call: C): void;
  streamOpened(connection: ClientConnection): void;
  streamClosed(connection: ClientConnection): void;
}
