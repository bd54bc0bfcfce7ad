// Cancellation reaching user code, for each RPC kind: on client cancel, deadline expiry or server
// stop, the signal aborts, isActive() turns false, callbacks run and the handler's `finally` runs —
// at once when its await honours the signal, once that await settles when it does not (the status
// is sent at once either way). Proved on the server side, not just by the client's error.
import { setTimeout as sleepWithSignal } from "node:timers/promises";
import {
  checkLeaksAfterAll,
  type Deferred,
  deferred,
  jsonMethod,
  jsonSerializers,
  type RpcKind,
  rpcKinds,
  rpcShapes,
  startTestServer,
  type TestServer,
} from "@tsgrpc/test-utils";
import { RpcError } from "../core/rpc-error.js";
import type { ServicerContext } from "../core/servicer-context.js";
import { StatusCode } from "../core/status-code.js";
import {
  streamStreamRpcMethodHandler,
  streamUnaryRpcMethodHandler,
  unaryStreamRpcMethodHandler,
  unaryUnaryRpcMethodHandler,
} from "./method-handlers.js";
import type { Server } from "./server.js";

interface Msg {
  n?: number;
}
const kinds = rpcKinds;
type Kind = RpcKind;
const shapes = rpcShapes;
const serializers = jsonSerializers<Msg, Msg>();

/** What the server saw, recorded by the handler's `finally`. */
interface Seen {
  aborted: boolean;
  active: boolean;
  code: StatusCode | null;
  callbackRan: boolean;
}

/** One RPC's server side: it has started waiting (after sending one message, for streams), and what its finally saw. */
interface Probe {
  waiting: Deferred<void>;
  finished: Deferred<Seen>;
}

let probe: Probe;
/** How the handler waits once it is running: honouring the signal, or ignoring it until released. */
let wait: (context: ServicerContext) => Promise<unknown>;

async function firstRequest(requests: AsyncIterable<Msg>): Promise<void> {
  await requests[Symbol.asyncIterator]().next();
}

/** Runs `body` the way each kind's handler would, recording what the server saw when its finally runs. */
function watched(context: ServicerContext): { done: () => void } {
  let callbackRan = false;
  context.addCallback(() => (callbackRan = true));
  const p = probe;
  return {
    done: () => p.finished.resolve({ aborted: context.signal.aborted, active: context.isActive(), code: context.code(), callbackRan }),
  };
}

function register(s: Server): void {
  s.addRegisteredMethodHandlers("test.Cancel", {
    unaryUnary: unaryUnaryRpcMethodHandler(async (_r: Msg, context) => {
      const w = watched(context);
      try {
        probe.waiting.resolve();
        await wait(context);
        return {};
      } finally {
        w.done();
      }
    }, serializers),
    unaryStream: unaryStreamRpcMethodHandler(async function* (_r: Msg, context) {
      const w = watched(context);
      try {
        yield { n: 1 };
        probe.waiting.resolve();
        await wait(context);
        yield { n: 2 };
      } finally {
        w.done();
      }
    }, serializers),
    streamUnary: streamUnaryRpcMethodHandler(async (requests: AsyncIterable<Msg>, context) => {
      const w = watched(context);
      try {
        await firstRequest(requests);
        probe.waiting.resolve();
        await wait(context);
        return {};
      } finally {
        w.done();
      }
    }, serializers),
    streamStream: streamStreamRpcMethodHandler(async function* (requests: AsyncIterable<Msg>, context) {
      const w = watched(context);
      try {
        await firstRequest(requests);
        yield { n: 1 };
        probe.waiting.resolve();
        await wait(context);
        yield { n: 2 };
      } finally {
        w.done();
      }
    }, serializers),
  });
}

/** Starts an RPC of `kind`; resolves with the client's error once it ends. */
async function start(t: TestServer, kind: Kind, options: { timeout?: number; signal?: AbortSignal } = {}): Promise<RpcError> {
  const method = jsonMethod<Msg, Msg>(`/test.Cancel/${kind}`, shapes[kind]);
  try {
    if (kind === "unaryUnary") await t.channel.unaryUnary(method)({}, options);
    else if (kind === "unaryStream") for await (const _ of t.channel.unaryStream(method)({}, options));
    else if (kind === "streamUnary") await t.channel.streamUnary(method)([{ n: 1 }], options);
    else for await (const _ of t.channel.streamStream(method)([{ n: 1 }], options));
  } catch (error) {
    if (error instanceof RpcError) return error;
    throw error;
  }
  throw new Error(`${kind}: the RPC succeeded, but it was expected to be cancelled`);
}

/** The handler's finally ran after the RPC ended with `code`: signal aborted, inactive, callbacks run. */
async function expectFinallySaw(code: StatusCode): Promise<void> {
  await expect(probe.finished.promise).resolves.toEqual({ aborted: true, active: false, code, callbackRan: true });
}

const honouring = (context: ServicerContext) => sleepWithSignal(60_000, undefined, { signal: context.signal });

checkLeaksAfterAll();

describe("cancellation reaches the handler", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(register);
  });
  afterAll(() => t.close());
  beforeEach(() => {
    probe = { waiting: deferred(), finished: deferred() };
  });

  it.each(kinds)("%s: client cancel → signal aborts, inactive, callbacks ran, finally ran, code() CANCELLED", async (kind) => {
    wait = honouring;
    const controller = new AbortController();
    const ended = start(t, kind, { signal: controller.signal });
    await probe.waiting.promise;
    controller.abort();
    expect((await ended).code()).toBe(StatusCode.CANCELLED);
    await expectFinallySaw(StatusCode.CANCELLED);
  });

  it.each(kinds)("%s: deadline → DEADLINE_EXCEEDED within deadline + 500 ms, and the handler's finally ran", async (kind) => {
    wait = honouring;
    const started = Date.now();
    const error = await start(t, kind, { timeout: 0.3 });
    expect(error.code()).toBe(StatusCode.DEADLINE_EXCEEDED);
    expect(Date.now() - started).toBeLessThan(300 + 500);
    await expectFinallySaw(StatusCode.DEADLINE_EXCEEDED);
  });

  it.each(kinds)("%s: an await that ignores the signal: the status still goes at once, finally runs once it settles", async (kind) => {
    const release = deferred();
    let signalAbortedWhileStuck = false;
    wait = async (context) => {
      await release.promise;
      signalAbortedWhileStuck = context.signal.aborted;
    };
    const started = Date.now();
    const error = await start(t, kind, { timeout: 0.3 });
    expect(error.code()).toBe(StatusCode.DEADLINE_EXCEEDED);
    expect(Date.now() - started).toBeLessThan(300 + 500);
    // The handler is still stuck: its finally has not run.
    const early = await Promise.race([probe.finished.promise, sleepWithSignal(50).then(() => "still waiting")]);
    expect(early).toBe("still waiting");
    release.resolve();
    await expectFinallySaw(StatusCode.DEADLINE_EXCEEDED);
    expect(signalAbortedWhileStuck).toBe(true);
  });
});

describe("server stop reaches the handler", () => {
  beforeEach(() => {
    probe = { waiting: deferred(), finished: deferred() };
  });

  it.each(kinds)("%s: stop(null) → the client's RPC fails at once, the handler's finally ran", async (kind) => {
    const t = await startTestServer(register);
    try {
      wait = honouring;
      const ended = start(t, kind);
      await probe.waiting.promise;
      const started = Date.now();
      await t.server.stop(null);
      const error = await ended;
      expect(Date.now() - started).toBeLessThan(500);
      expect([StatusCode.CANCELLED, StatusCode.UNAVAILABLE]).toContain(error.code());
      await expectFinallySaw(StatusCode.CANCELLED);
    } finally {
      await t.close();
    }
  });
});
