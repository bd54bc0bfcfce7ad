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
import { RpcError } from "../core/rpc-error.js";
import type { ServicerContext } from "../core/servicer-context.js";
import { StatusCode } from "../core/status-code.js";
import { servicerMethodHandlers } from "../server/servicer.js";

// Stream-stream calls from the client's side: the scenario list every RPC kind's suite covers,
// plus the chat-style write()/doneWriting() form.

interface Note {
  text: string;
  pad?: string;
}

const methods = {
  Chat: jsonMethod<Note, Note>("/test.Chat/Chat", { requestStream: true, responseStream: true }),
};

type Behaviour = (requests: AsyncIterable<Note>, context: ServicerContext) => AsyncIterable<Note>;

async function* echo(requests: AsyncIterable<Note>): AsyncIterable<Note> {
  for await (const note of requests) yield { text: `echo ${note.text}` };
}

/**
 * A bounded queue feeding an async generator, as grpcio's chat examples feed a request iterator
 * from a queue: `put` waits while the queue is full, so the producer runs at the RPC's pace.
 */
class BoundedQueue<T> {
  readonly #items: T[] = [];
  readonly #capacity: number;
  #closed = false;
  #wakeReader: (() => void) | null = null;
  #wakeWriter: (() => void) | null = null;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  async put(item: T): Promise<void> {
    while (this.#items.length >= this.#capacity) await new Promise<void>((r) => (this.#wakeWriter = r));
    this.#items.push(item);
    this.#wakeReader?.();
  }

  close(): void {
    this.#closed = true;
    this.#wakeReader?.();
  }

  async *drain(): AsyncGenerator<T> {
    for (;;) {
      const item = this.#items.shift();
      if (item !== undefined) {
        this.#wakeWriter?.();
        yield item;
      } else if (this.#closed) return;
      else await new Promise<void>((r) => (this.#wakeReader = r));
    }
  }
}

checkLeaksAfterAll();

describe("stream-stream calls", () => {
  let t: TestServer;
  let behaviour: Behaviour;
  let ended = deferred<ServerEnding>();

  beforeAll(async () => {
    t = await startTestServer((s) => {
      s.addRegisteredMethodHandlers(
        "test.Chat",
        servicerMethodHandlers({ Chat: (r: AsyncIterable<Note>, c: ServicerContext) => behaviour(r, c) }, methods),
      );
    });
  });
  afterAll(() => t.close());
  beforeEach(() => {
    ended = deferred<ServerEnding>();
  });

  const chat = () => t.channel.streamStream(methods.Chat);

  /** Echoes `first` requests, then waits for the RPC to be cancelled; records how it ended. */
  const echoThenWait = (first: number): Behaviour =>
    async function* (requests, context) {
      try {
        const iterator = requests[Symbol.asyncIterator]();
        for (let i = 0; i < first; i++) {
          const next = await iterator.next();
          if (!next.done) yield { text: `echo ${next.value.text}` };
        }
        await untilAborted(context.signal);
      } finally {
        ended.resolve({ code: context.code(), active: context.isActive() });
      }
    };

  it("echoes requests from an iterable, then reports OK", async () => {
    behaviour = echo;
    const stream = chat()([{ text: "a" }, { text: "b" }]);
    const texts: string[] = [];
    for await (const note of stream) texts.push(note.text);
    expect(texts).toEqual(["echo a", "echo b"]);
    expect(await stream.code()).toBe(StatusCode.OK);
    expect(stream.isActive()).toBe(false);
  });

  it("carries metadata both ways (-bin included) and gives initialMetadata before any response", async () => {
    behaviour = async function* (requests, context) {
      const md = context.invocationMetadata();
      context.sendInitialMetadata({ room: String(md.get("room")) });
      context.setTrailingMetadata({ "bye-bin": new Uint8Array([4, 2]) });
      yield* echo(requests);
    };
    const call = chat()({
      metadata: [
        ["room", "lobby"],
        ["who-bin", new Uint8Array([1])],
      ],
    });
    expect((await call.initialMetadata()).get("room")).toBe("lobby");
    await call.write({ text: "hi" });
    call.doneWriting();
    const texts: string[] = [];
    for await (const note of call) texts.push(note.text);
    expect(texts).toEqual(["echo hi"]);
    expect((await call.trailingMetadata()).get("bye-bin")).toEqual(new Uint8Array([4, 2]));
  });

  it("delivers the responses sent before a server error, then throws its RpcError with trailing metadata", async () => {
    behaviour = async function* (requests, context) {
      for await (const note of requests) {
        if (note.text === "bad") {
          context.setTrailingMetadata({ offending: "bad" });
          context.abort(StatusCode.FAILED_PRECONDITION, "no bad words");
        }
        yield { text: `echo ${note.text}` };
      }
    };
    const texts: string[] = [];
    const stream = chat()([{ text: "ok" }, { text: "bad" }, { text: "never" }]);
    const error = (await (async () => {
      for await (const note of stream) texts.push(note.text);
    })().catch((e: unknown) => e)) as RpcError;
    expect(texts).toEqual(["echo ok"]);
    expect(error).toBeInstanceOf(RpcError);
    expect(error.message).toBe("/test.Chat/Chat FAILED_PRECONDITION: no bad words");
    expect(error.trailingMetadata().get("offending")).toBe("bad");
    expect(await stream.code()).toBe(StatusCode.FAILED_PRECONDITION);
  });

  it("ends with DEADLINE_EXCEEDED within the deadline + 500 ms; the handler sees it", async () => {
    behaviour = echoThenWait(1);
    const started = Date.now();
    const call = chat()({ timeout: 0.3 });
    await call.write({ text: "x" });
    const texts: string[] = [];
    const error = (await (async () => {
      for await (const note of call) texts.push(note.text);
    })().catch((e: unknown) => e)) as RpcError;
    expect(Date.now() - started).toBeLessThan(300 + 500);
    expect(texts).toEqual(["echo x"]);
    expect(error.code()).toBe(StatusCode.DEADLINE_EXCEEDED);
    expectDeadlineEnding(await ended.promise);
    await expect(call.write({ text: "late" })).rejects.toMatchObject({ message: expect.stringMatching(/DEADLINE_EXCEEDED/) });
  });

  it("cancels with cancel(); the handler's finally runs and later writes reject with CANCELLED", async () => {
    behaviour = echoThenWait(1);
    const call = chat()();
    await call.write({ text: "x" });
    const iterator = call[Symbol.asyncIterator]();
    await expect(iterator.next()).resolves.toEqual({ done: false, value: { text: "echo x" } });
    call.cancel();
    await expect(iterator.next()).rejects.toBeInstanceOf(RpcError);
    expect(await call.code()).toBe(StatusCode.CANCELLED);
    await expect(ended.promise).resolves.toEqual({ code: StatusCode.CANCELLED, active: false });
    const error = (await call.write({ text: "y" }).catch((e: unknown) => e)) as RpcError;
    expect(error.code()).toBe(StatusCode.CANCELLED);
  });

  it("cancels through an AbortSignal", async () => {
    behaviour = echoThenWait(1);
    const controller = new AbortController();
    const stream = chat()([{ text: "x" }], { signal: controller.signal });
    const error = (await (async () => {
      for await (const _ of stream) controller.abort();
    })().catch((e: unknown) => e)) as RpcError;
    expect(error.code()).toBe(StatusCode.CANCELLED);
    await expect(ended.promise).resolves.toEqual({ code: StatusCode.CANCELLED, active: false });
  });

  it("cancels when the loop is left with break, and closes the request generator", async () => {
    behaviour = async function* (requests, context) {
      try {
        // Read on in the background: a cancel can reach grpc-js as a half-close first.
        void (async () => {
          for await (const _ of requests);
        })().catch(() => {});
        for (let n = 0; ; n++) {
          yield { text: `echo ${n}` };
          await sleep(1);
        }
      } finally {
        ended.resolve({ code: context.code(), active: context.isActive() });
      }
    };
    let requestsClosed = false;
    async function* forever() {
      try {
        for (let n = 0; ; n++) {
          yield { text: String(n) };
          await sleep(1);
        }
      } finally {
        requestsClosed = true;
      }
    }
    const stream = chat()(forever());
    for await (const note of stream) if (note.text === "echo 3") break;
    expect(await stream.code()).toBe(StatusCode.CANCELLED);
    await expect(ended.promise).resolves.toEqual({ code: StatusCode.CANCELLED, active: false });
    await sleep(10);
    expect(requestsClosed).toBe(true);
  });

  it("ends with UNKNOWN and the original error as cause when the request iterator throws; the server sees CANCELLED", async () => {
    behaviour = echoThenWait(1);
    const boom = new RangeError("bad input");
    // Throws once the echo is in: after a fixed sleep it raced the round trip (a cold connection lost).
    const echoed = deferred();
    async function* failing() {
      yield { text: "one" };
      await echoed.promise;
      throw boom;
    }
    const stream = chat()(failing());
    const texts: string[] = [];
    const error = (await (async () => {
      for await (const note of stream) {
        texts.push(note.text);
        echoed.resolve();
      }
    })().catch((e: unknown) => e)) as RpcError;
    expect(texts).toEqual(["echo one"]);
    expect(error.code()).toBe(StatusCode.UNKNOWN);
    expect(error.details()).toBe("Exception iterating requests!");
    expect(error.cause).toBe(boom);
    await expect(ended.promise).resolves.toEqual({ code: StatusCode.CANCELLED, active: false });
  });

  it("chats with write()/doneWriting(), ping-pong style; writing after doneWriting() throws", async () => {
    behaviour = echo;
    const call = chat()();
    const replies = call[Symbol.asyncIterator]();
    for (const text of ["a", "b", "c"]) {
      await call.write({ text });
      await expect(replies.next()).resolves.toEqual({ done: false, value: { text: `echo ${text}` } });
    }
    call.doneWriting();
    call.doneWriting();
    await expect(call.write({ text: "d" })).rejects.toThrow(/after doneWriting/);
    await expect(replies.next()).resolves.toEqual({ done: true, value: undefined });
    expect(await call.code()).toBe(StatusCode.OK);
  });

  it("chats from a queue-fed generator (grpcio: requests from a queue)", async () => {
    behaviour = echo;
    const queue = new BoundedQueue<Note>(2);
    const stream = chat()(queue.drain());
    await queue.put({ text: "first" });
    const texts: string[] = [];
    for await (const note of stream) {
      texts.push(note.text);
      // Each answer prompts the next question, as in a conversation.
      if (texts.length < 3) await queue.put({ text: `after ${note.text}` });
      else queue.close();
    }
    expect(texts).toEqual(["echo first", "echo after echo first", "echo after echo after echo first"]);
  });

  it("is flow-controlled: with a bounded queue, a producer stalls while the server does not read", async () => {
    const release = deferred();
    behaviour = async function* (requests, context) {
      try {
        await release.promise;
        let count = 0;
        for await (const _ of requests) count++;
        yield { text: String(count) };
      } finally {
        ended.resolve({ code: context.code(), active: context.isActive() });
      }
    };
    const queue = new BoundedQueue<Note>(4);
    const stream = chat()(queue.drain());
    const pad = "x".repeat(64 * 1024);
    let produced = 0;
    const producer = (async () => {
      for (; produced < 500; produced++) await queue.put({ text: String(produced), pad });
      queue.close();
    })();
    // The windows of HTTP/2 hold a few MB; the rest waits in the producer, not in memory.
    const held = await settled(() => produced);
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThan(200);
    release.resolve();
    await producer;
    const texts: string[] = [];
    for await (const note of stream) texts.push(note.text);
    expect(texts).toEqual(["500"]);
    expect(await stream.code()).toBe(StatusCode.OK);
    await ended.promise;
  });

  it("write() resolves only when flow control accepts the message", async () => {
    const release = deferred();
    behaviour = async function* (requests) {
      await release.promise;
      yield* echo(requests);
    };
    const call = chat()();
    const pad = "x".repeat(64 * 1024);
    let accepted = 0;
    const writer = (async () => {
      for (; accepted < 500; accepted++) await call.write({ text: "w", pad });
      call.doneWriting();
    })();
    const held = await settled(() => accepted);
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThan(200);
    release.resolve();
    let replies = 0;
    for await (const _ of call) replies++;
    await writer;
    expect(replies).toBe(500);
  });
});
