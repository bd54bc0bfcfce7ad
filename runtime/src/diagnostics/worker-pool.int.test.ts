// The worker pool on its own and inside handlers: results come back, failures become INTERNAL
// with the details reported server-side, and a timed-out or cancelled task stops waiting AND
// frees its worker (the pool is idle afterwards), with the handler's finally having run.
import * as path from "node:path";
import { checkLeaksAfterAll, deferred, jsonMethod, jsonSerializers, startTestServer, type TestServer } from "@tsgrpc/test-utils";
import { RpcError } from "../core/rpc-error.js";
import { StatusCode } from "../core/status-code.js";
import { unaryStreamRpcMethodHandler, unaryUnaryRpcMethodHandler } from "../server/method-handlers.js";
import { createWorkerPool, type WorkerPool } from "./worker-pool.js";

checkLeaksAfterAll();

const filename = path.join(__dirname, "testdata", "pool-worker.mjs");
const failures: [string, unknown][] = [];
let pool: WorkerPool;

beforeAll(() => {
  pool = createWorkerPool({ filename, maxThreads: 1, onError: (task, error) => failures.push([task, error]) });
});
afterAll(async () => {
  await pool.close();
});

async function untilIdle(withinMs = 2000): Promise<void> {
  const until = Date.now() + withinMs;
  while (pool.pending > 0) {
    if (Date.now() > until) throw new Error(`the pool still has ${pool.pending} task(s) after ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("createWorkerPool", () => {
  test("runs the default export in a worker thread", async () => {
    await expect(pool.run<number, number>(5)).resolves.toBe(10);
    await untilIdle();
  });

  test("a failing task rejects with INTERNAL and reports the original error", async () => {
    const error = (await pool.run("boom", { name: "fail" }).catch((e: unknown) => e)) as RpcError;
    expect(error).toBeInstanceOf(RpcError);
    expect(error.code()).toBe(StatusCode.INTERNAL);
    expect(error.details()).toBe('Worker task "fail" failed');
    expect(failures.at(-1)?.[0]).toBe("fail");
    expect(String(failures.at(-1)?.[1])).toContain("boom");
  });

  test("a timed-out task rejects with DEADLINE_EXCEEDED and frees its worker", async () => {
    const started = Date.now();
    const error = (await pool.run(30_000, { timeout: 0.2 }).catch((e: unknown) => e)) as RpcError;
    expect(error.code()).toBe(StatusCode.DEADLINE_EXCEEDED);
    expect(Date.now() - started).toBeLessThan(200 + 500);
    await untilIdle();
    // The slot is free: the next task runs at once instead of queueing behind a 30 s spin.
    await expect(pool.run<number, number>(1, { timeout: 5 })).resolves.toBe(2);
  });

  test("an aborted signal stops waiting with its reason and frees the worker", async () => {
    const controller = new AbortController();
    const running = pool.run(30_000, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("enough")), 100);
    await expect(running).rejects.toThrow("enough");
    await untilIdle();
  });

  test("an already-aborted signal rejects without running anything", async () => {
    await expect(pool.run(1, { signal: AbortSignal.abort(new Error("before")) })).rejects.toThrow("before");
    expect(pool.pending).toBe(0);
  });
});

describe("the pool in a handler", () => {
  let t: TestServer;
  const handlerErrors: unknown[] = [];
  let finallyRan = deferred<boolean>();
  let working = deferred<void>();

  beforeAll(async () => {
    t = await startTestServer(
      (s) =>
        s.addRegisteredMethodHandlers("test.Pool", {
          Fail: unaryUnaryRpcMethodHandler(() => pool.run("no such row", { name: "fail" }), jsonSerializers<unknown, unknown>()),
          Stream: unaryStreamRpcMethodHandler(async function* (_request: unknown, context) {
            try {
              working.resolve();
              yield await pool.run<number, number>(30_000, { signal: context.signal });
            } finally {
              finallyRan.resolve(context.signal.aborted);
            }
          }, jsonSerializers<unknown, number>()),
        }),
      { onHandlerError: (_method, error) => handlerErrors.push(error) },
    );
  });
  afterAll(async () => {
    await t.close();
  });

  test("a worker error reaches the client as INTERNAL, without its details", async () => {
    const error = (await t.channel
      .unaryUnary(jsonMethod<unknown, unknown>("/test.Pool/Fail"))({})
      .catch((e: unknown) => e)) as RpcError;
    expect(error.code()).toBe(StatusCode.INTERNAL);
    expect(error.details()).toBe('Worker task "fail" failed');
    expect(String(failures.at(-1)?.[1])).toContain("no such row");
  });

  test("cancelling the RPC mid-task stops the worker: finally ran, the pool is idle", async () => {
    finallyRan = deferred<boolean>();
    working = deferred<void>();
    const controller = new AbortController();
    const stream = t.channel.unaryStream(jsonMethod<unknown, number>("/test.Pool/Stream", { responseStream: true }))(
      {},
      { signal: controller.signal },
    );
    const consumed = (async () => {
      for await (const _ of stream);
    })().catch((e: unknown) => e);
    await working.promise;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(pool.pending).toBe(1);
    controller.abort();
    expect(((await consumed) as RpcError).code()).toBe(StatusCode.CANCELLED);
    await expect(finallyRan.promise).resolves.toBe(true);
    await untilIdle();
    expect(handlerErrors).toEqual([]);
  });
});
