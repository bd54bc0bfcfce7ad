/** Ping-pong over libraries that take the requests of a bidi call as an AsyncIterable. */

/** Sends `user`, waits for its echo, `count` times; resolves to the round trips done. */
export async function pingPong<T>(start: (requests: AsyncIterable<T>) => AsyncIterable<unknown>, user: T, count: number): Promise<number> {
  let replies = 0;
  let wake: (() => void) | undefined;
  async function* requests(): AsyncGenerator<T> {
    for (let i = 0; i < count; i++) {
      yield user;
      while (replies <= i) await new Promise<void>((resolve) => (wake = resolve));
    }
  }
  for await (const _ of start(requests())) {
    replies++;
    const resolve = wake;
    wake = undefined;
    resolve?.();
  }
  return replies;
}

/** Yields `user` `count` times (the anchors take client-stream requests as an AsyncIterable). */
export async function* repeatAsync<T>(user: T, count: number): AsyncGenerator<T> {
  for (let i = 0; i < count; i++) yield user;
}

/** Reads one message per `readIntervalMs` for `durationMs`, then leaves the loop (which cancels). */
export async function slowIterate(messages: AsyncIterable<unknown>, durationMs: number, readIntervalMs: number): Promise<number> {
  const end = performance.now() + durationMs;
  let read = 0;
  for await (const _ of messages) {
    read++;
    if (performance.now() >= end) break;
    await new Promise((resolve) => setTimeout(resolve, readIntervalMs));
  }
  return read;
}

/** Reads `messages` to the end; resolves to how many there were. */
export async function countAll(messages: AsyncIterable<unknown>): Promise<number> {
  let received = 0;
  for await (const _ of messages) received++;
  return received;
}
