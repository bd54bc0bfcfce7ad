import {
  checkLeaksAfterAll,
  deferred,
  expectDeadlineEnding,
  jsonMethod,
  type ServerEnding,
  settled,
  sleep,
  startTestServer,
  type TestServer,
  untilAborted,
} from "@tsgrpc/test-utils";
import { FutureCancelledError, FutureTimeoutError } from "../core/future.js";
import { RpcError } from "../core/rpc-error.js";
import type { ServicerContext } from "../core/servicer-context.js";
import { StatusCode } from "../core/status-code.js";
import { servicerMethodHandlers } from "../server/servicer.js";

// Stream-unary calls from the client's side: the scenario list every RPC kind's suite covers.

interface Req {
  n: number;
  pad?: string;
}
interface Res {
  sum: number;
  count: number;
}

const methods = {
  Sum: jsonMethod<Req, Res>("/test.Upload/Sum", { requestStream: true }),
};

type Behaviour = (requests: AsyncIterable<Req>, context: ServicerContext) => Promise<Res>;

async function sum(requests: AsyncIterable<Req>): Promise<Res> {
  let total = 0;
  let count = 0;
  for await (const request of requests) {
    total += request.n;
    count++;
  }
  return { sum: total, count };
}

/** Far beyond what flow control lets any test pull, and short of filling the heap. */
const runawayPulls = 200_000;

/**
 * An endless request stream that records how far it was pulled and whether it was closed. A
 * writer that ignored flow control would pull it in one synchronous loop until the heap runs out,
 * which no test timeout can interrupt: past `runawayPulls` it throws, so that such a test fails.
 */
function endlessRequests(pad = "") {
  const state = { pulled: 0, closed: false };
  const requests = (function* () {
    try {
      for (;;) {
        if (state.pulled >= runawayPulls) throw new Error(`pulled ${runawayPulls} requests: the writer ignores flow control`);
        yield { n: state.pulled++, pad };
      }
    } finally {
      state.closed = true;
    }
  })();
  return { state, requests };
}

checkLeaksAfterAll();

describe("stream-unary calls", () => {
  let t: TestServer;
  let behaviour: Behaviour;
  let ended = deferred<ServerEnding>();

  beforeAll(async () => {
    t = await startTestServer((s) => {
      s.addRegisteredMethodHandlers(
        "test.Upload",
        servicerMethodHandlers({ Sum: (r: AsyncIterable<Req>, c: ServicerContext) => behaviour(r, c) }, methods),
      );
    });
  });
  afterAll(() => t.close());
  beforeEach(() => {
    ended = deferred<ServerEnding>();
  });

  const upload = () => t.channel.streamUnary(methods.Sum);

  /** Reads `first` requests, then waits for the RPC to be cancelled; records how it ended. */
  const readThenWait =
    (first: number, entered = deferred()): Behaviour =>
    async (requests, context) => {
      try {
        const iterator = requests[Symbol.asyncIterator]();
        for (let i = 0; i < first; i++) await iterator.next();
        entered.resolve();
        await untilAborted(context.signal);
        return { sum: 0, count: 0 };
      } finally {
        ended.resolve({ code: context.code(), active: context.isActive() });
      }
    };

  it("sends requests from an array, a sync generator and an async generator", async () => {
    behaviour = sum;
    await expect(upload()([{ n: 1 }, { n: 2 }, { n: 3 }])).resolves.toEqual({ sum: 6, count: 3 });
    function* sync() {
      for (let n = 0; n < 100; n++) yield { n };
    }
    await expect(upload()(sync())).resolves.toEqual({ sum: 4950, count: 100 });
    async function* slow() {
      for (let n = 1; n <= 3; n++) {
        await sleep(5);
        yield { n };
      }
    }
    await expect(upload()(slow())).resolves.toEqual({ sum: 6, count: 3 });
    await expect(upload()([])).resolves.toEqual({ sum: 0, count: 0 });
  });

  it("gives the Call with withCall and future, metadata both ways (-bin included)", async () => {
    behaviour = async (requests, context) => {
      const md = context.invocationMetadata();
      context.sendInitialMetadata({ got: String(md.get("client")) });
      context.setTrailingMetadata({ "echo-bin": md.get("token-bin") as Uint8Array });
      return sum(requests);
    };
    const metadata = { client: "ts", "token-bin": new Uint8Array([1, 0, 1]) };
    const [response, call] = await upload().withCall([{ n: 5 }], { metadata });
    expect(response).toEqual({ sum: 5, count: 1 });
    expect((await call.initialMetadata()).get("got")).toBe("ts");
    expect((await call.trailingMetadata()).get("echo-bin")).toEqual(new Uint8Array([1, 0, 1]));
    expect(await call.code()).toBe(StatusCode.OK);
    const future = upload().future([{ n: 1 }, { n: 1 }], { metadata });
    await expect(future.result({ timeout: 5 })).resolves.toEqual({ sum: 2, count: 2 });
    expect(future.done()).toBe(true);
    expect((await future.trailingMetadata()).get("echo-bin")).toEqual(new Uint8Array([1, 0, 1]));
  });

  it("throws the server's RpcError with its trailing metadata, and stops pulling requests", async () => {
    behaviour = async (requests, context) => {
      for await (const request of requests) {
        if (request.n === 2) {
          context.setTrailingMetadata({ "bad-index": "2" });
          context.abort(StatusCode.INVALID_ARGUMENT, "n must not be 2");
        }
      }
      return { sum: 0, count: 0 };
    };
    const { state, requests } = endlessRequests();
    const error = (await upload()(requests).catch((e: unknown) => e)) as RpcError;
    expect(error).toBeInstanceOf(RpcError);
    expect(error.message).toBe("/test.Upload/Sum INVALID_ARGUMENT: n must not be 2");
    expect(error.trailingMetadata().get("bad-index")).toBe("2");
    expect(state.closed).toBe(true);
  });

  it("ends with DEADLINE_EXCEEDED within the deadline + 500 ms while requests are still flowing; the handler sees it", async () => {
    behaviour = readThenWait(1);
    const stuck = deferred();
    let closed = false;
    async function* stalled() {
      try {
        yield { n: 1 };
        await stuck.promise;
      } finally {
        closed = true;
      }
    }
    const started = Date.now();
    const error = (await upload()(stalled(), { timeout: 0.3 }).catch((e: unknown) => e)) as RpcError;
    expect(Date.now() - started).toBeLessThan(300 + 500);
    expect(error.code()).toBe(StatusCode.DEADLINE_EXCEEDED);
    expect(error.details()).toBe("Deadline Exceeded");
    expectDeadlineEnding(await ended.promise);
    // A generator parked in an await cannot be interrupted; once the await settles, it is closed.
    stuck.resolve();
    await sleep(10);
    expect(closed).toBe(true);
  });

  it("cancels with future.cancel(): FutureCancelledError here, CANCELLED at the server, the request iterator closed", async () => {
    const entered = deferred();
    behaviour = readThenWait(2, entered);
    const { state, requests } = endlessRequests("x".repeat(1024));
    const future = upload().future(requests);
    await entered.promise;
    expect(future.cancel()).toBe(true);
    await expect(future.result()).rejects.toBeInstanceOf(FutureCancelledError);
    await expect(future.exception()).rejects.toBeInstanceOf(FutureCancelledError);
    expect(await future.code()).toBe(StatusCode.CANCELLED);
    await expect(ended.promise).resolves.toEqual({ code: StatusCode.CANCELLED, active: false });
    expect(state.closed).toBe(true);
  });

  it("cancels through an AbortSignal with RpcError CANCELLED", async () => {
    const entered = deferred();
    behaviour = readThenWait(1, entered);
    const controller = new AbortController();
    const { requests } = endlessRequests("x".repeat(1024));
    const pending = upload()(requests, { signal: controller.signal });
    await entered.promise;
    controller.abort();
    const error = (await pending.catch((e: unknown) => e)) as RpcError;
    expect(error.code()).toBe(StatusCode.CANCELLED);
    await expect(ended.promise).resolves.toEqual({ code: StatusCode.CANCELLED, active: false });
  });

  it("distinguishes a future's timeout (keeps running) from its cancellation", async () => {
    const release = deferred();
    behaviour = async (requests) => {
      await release.promise;
      return sum(requests);
    };
    const future = upload().future([{ n: 4 }]);
    await expect(future.result({ timeout: 0.05 })).rejects.toBeInstanceOf(FutureTimeoutError);
    await expect(future.exception({ timeout: 0.05 })).rejects.toBeInstanceOf(FutureTimeoutError);
    expect(future.running()).toBe(true);
    expect(future.cancelled()).toBe(false);
    release.resolve();
    await expect(future).resolves.toEqual({ sum: 4, count: 1 });
  });

  it("ends the call with UNKNOWN and the original error as cause when the request iterator throws; the server sees CANCELLED", async () => {
    const entered = deferred();
    behaviour = readThenWait(1, entered);
    const boom = new Error("disk read failed");
    async function* failing() {
      yield { n: 1 };
      await entered.promise;
      throw boom;
    }
    const error = (await upload()(failing()).catch((e: unknown) => e)) as RpcError;
    expect(error).toBeInstanceOf(RpcError);
    expect(error.code()).toBe(StatusCode.UNKNOWN);
    expect(error.details()).toBe("Exception iterating requests!");
    expect(error.cause).toBe(boom);
    await expect(ended.promise).resolves.toEqual({ code: StatusCode.CANCELLED, active: false });
  });

  it("pulls the next request only when the transport has room", async () => {
    const entered = deferred();
    behaviour = readThenWait(1, entered);
    const { state, requests } = endlessRequests("x".repeat(64 * 1024));
    const future = upload().future(requests);
    await entered.promise;
    // Flow-control windows hold a few MB at most, not an endless stream.
    const held = await settled(() => state.pulled);
    expect(held).toBeGreaterThan(1);
    expect(held).toBeLessThan(200);
    future.cancel();
    await ended.promise;
    expect(state.closed).toBe(true);
  });
});
