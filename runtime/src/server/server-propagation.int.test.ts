// Deadline and cancellation propagation across two hops: client → front server → back server.
// The front server's handler calls the back server; the back handler reports what it saw.
import { setTimeout as sleepWithSignal } from "node:timers/promises";
import {
  checkLeaksAfterAll,
  type Deferred,
  deferred,
  insecureChannelUnderTest,
  jsonMethod,
  jsonSerializers,
  startTestServer,
  type TestServer,
} from "@tsgrpc/test-utils";
import type { CallOptions } from "../client/call-options.js";
import type { Channel } from "../client/channel.js";
import { currentServicerContext } from "../core/current-servicer-context.js";
import type { RpcError } from "../core/rpc-error.js";
import type { ServicerContext } from "../core/servicer-context.js";
import { StatusCode } from "../core/status-code.js";
import { unaryUnaryRpcMethodHandler } from "./method-handlers.js";

interface Msg {
  text?: string;
  remaining?: number | null;
}
const serializers = jsonSerializers<Msg, Msg>();
const frontMethod = jsonMethod<Msg, Msg>("/test.Front/Call");
const backMethod = jsonMethod<Msg, Msg>("/test.Back/Call");

/** What the back handler saw when it ended. */
interface BackSeen {
  remaining: number | null;
  aborted: boolean;
  code: StatusCode | null;
}

let backSeen: Deferred<BackSeen>;
let backEntered: Deferred<void>;
/** How the front handler calls the back server. */
let frontCalls: (context: ServicerContext) => Promise<Msg>;

checkLeaksAfterAll();

describe.each([
  ["automatically (propagateDeadlines: true)", true, (_c: ServicerContext): CallOptions => ({})],
  ["explicitly ({ parent: context })", false, (c: ServicerContext): CallOptions => ({ parent: c })],
])("propagation %s", (_name, propagateDeadlines, optionsFor) => {
  let back: TestServer;
  let front: TestServer;
  let toBack: Channel;

  beforeAll(async () => {
    back = await startTestServer((s) =>
      s.addRegisteredMethodHandlers("test.Back", {
        Call: unaryUnaryRpcMethodHandler(async (request: Msg, context: ServicerContext) => {
          const remaining = context.timeRemaining();
          try {
            backEntered.resolve();
            if (request.text === "wait") await sleepWithSignal(60_000, undefined, { signal: context.signal });
            return { remaining };
          } finally {
            backSeen.resolve({ remaining, aborted: context.signal.aborted, code: context.code() });
          }
        }, serializers),
      }),
    );
    toBack = insecureChannelUnderTest(back.target);
    front = await startTestServer(
      (s) =>
        s.addRegisteredMethodHandlers("test.Front", {
          Call: unaryUnaryRpcMethodHandler(async (_r: Msg, context: ServicerContext) => frontCalls(context), serializers),
        }),
      { propagateDeadlines },
    );
  });
  afterAll(async () => {
    toBack.close();
    await front.close();
    await back.close();
  });
  beforeEach(() => {
    backSeen = deferred();
    backEntered = deferred();
  });

  const callBack = (context: ServicerContext, text: string, extra: CallOptions = {}) =>
    toBack.unaryUnary(backMethod)({ text }, { ...optionsFor(context), ...extra });

  it("the back call inherits the front RPC's remaining deadline", async () => {
    frontCalls = (context) => callBack(context, "fast");
    const response = await front.channel.unaryUnary(frontMethod)({}, { timeout: 5 });
    expect(response.remaining).toBeGreaterThan(3);
    expect(response.remaining).toBeLessThanOrEqual(5);
  });

  it("the back call times out with the front RPC: both handlers see the deadline, within deadline + 500 ms", async () => {
    const frontError = deferred<StatusCode>();
    frontCalls = async (context) => {
      try {
        return await callBack(context, "wait");
      } catch (error) {
        frontError.resolve((error as RpcError).code());
        throw error;
      }
    };
    const started = Date.now();
    const error = (await front.channel
      .unaryUnary(frontMethod)({}, { timeout: 0.4 })
      .catch((e: unknown) => e)) as RpcError;
    expect(error.code()).toBe(StatusCode.DEADLINE_EXCEEDED);
    expect(Date.now() - started).toBeLessThan(400 + 500);
    const seen = await backSeen.promise;
    expect(seen.aborted).toBe(true);
    expect(seen.remaining).toBeLessThanOrEqual(0.4);
    expect([StatusCode.DEADLINE_EXCEEDED, StatusCode.CANCELLED]).toContain(seen.code);
    expect([StatusCode.DEADLINE_EXCEEDED, StatusCode.CANCELLED]).toContain(await frontError.promise);
  });

  it("cancelling the front RPC cancels the back call: the back handler's finally runs with the signal aborted", async () => {
    frontCalls = (context) => callBack(context, "wait");
    const controller = new AbortController();
    const pending = front.channel.unaryUnary(frontMethod)({}, { signal: controller.signal });
    await backEntered.promise;
    controller.abort();
    expect(((await pending.catch((e: unknown) => e)) as RpcError).code()).toBe(StatusCode.CANCELLED);
    await expect(backSeen.promise).resolves.toEqual({ remaining: null, aborted: true, code: StatusCode.CANCELLED });
  });

  it("a back call that outlives a front RPC which completed normally is not cancelled", async () => {
    const backResult = deferred<Msg>();
    frontCalls = async (context) => {
      void callBack(context, "fast").then(backResult.resolve);
      return { text: "front done" };
    };
    await expect(front.channel.unaryUnary(frontMethod)({})).resolves.toEqual({ text: "front done" });
    await expect(backResult.promise).resolves.toEqual({ remaining: null });
    expect((await backSeen.promise).aborted).toBe(false);
  });

  it("parent: null opts a call out", async () => {
    frontCalls = (context) => callBack(context, "fast", { parent: null });
    const response = await front.channel.unaryUnary(frontMethod)({}, { timeout: 5 });
    expect(response.remaining).toBeNull();
  });
});

describe("without propagateDeadlines", () => {
  it("no servicer context is current in a handler, and a call made there inherits nothing", async () => {
    const back = await startTestServer((s) =>
      s.addRegisteredMethodHandlers("test.Back", {
        Call: unaryUnaryRpcMethodHandler(
          async (_r: Msg, context: ServicerContext) => ({ remaining: context.timeRemaining() }),
          serializers,
        ),
      }),
    );
    const toBack = insecureChannelUnderTest(back.target);
    const front = await startTestServer((s) =>
      s.addRegisteredMethodHandlers("test.Front", {
        Call: unaryUnaryRpcMethodHandler(async () => {
          expect(currentServicerContext()).toBeUndefined();
          return toBack.unaryUnary(backMethod)({});
        }, serializers),
      }),
    );
    try {
      await expect(front.channel.unaryUnary(frontMethod)({}, { timeout: 5 })).resolves.toEqual({ remaining: null });
    } finally {
      toBack.close();
      await front.close();
      await back.close();
    }
  });
});
