// Backpressure, with the server in a child process so that its progress is its own: a server
// streaming to a client that reads one message per millisecond runs only a bounded number of
// messages ahead of it, because each yield waits until the transport accepts the message.
// (Memory targets live in packages/bench; here the bound is on messages ahead: correctness tests assert generous bounds only.)
import * as path from "node:path";
import { checkLeaksAfterAll, forkTs, insecureChannelUnderTest, jsonMethod, sleep, type TsChild } from "@tsgrpc/test-utils";
import type { Channel } from "../client/channel.js";

interface FloodRequest {
  count: number;
  size: number;
  sync: boolean;
}
interface FloodMessage {
  i: number;
}
interface Progress {
  accepted: number;
  closed: boolean;
}

const total = 20_000;
const sizeBytes = 1024;
/** Measured: about 90 ahead (HTTP/2 window and stream buffers); without backpressure, 19,900 of 20,000. */
const maxAhead = 1_000;
const flood = jsonMethod<FloodRequest, FloodMessage>("/test.Flood/Flood", { responseStream: true });

checkLeaksAfterAll();

describe("a server streaming to a slow client", () => {
  let child: TsChild;
  let channel: Channel;
  beforeAll(async () => {
    child = forkTs(path.join(__dirname, "testdata", "flood-server.ts"));
    const { port } = await child.message<{ port?: number }>((m) => m.port !== undefined);
    channel = insecureChannelUnderTest(`127.0.0.1:${port}`);
  }, 30_000);
  afterAll(async () => {
    channel.close();
    child.process.send("stop");
    await child.close();
  });

  const progress = async (): Promise<Progress> => {
    const reply = child.message<Progress>((m) => "accepted" in m);
    child.process.send("accepted?");
    return reply;
  };

  it.each([
    ["an async generator", false],
    ["a sync generator", true],
  ])("from %s runs a bounded number of messages ahead, and stops when the client leaves", async (_name, sync) => {
    const reset = child.message<{ reset?: boolean }>((m) => m.reset === true);
    child.process.send("reset");
    await reset;
    let consumed = 0;
    let worstAhead = 0;
    for await (const message of channel.unaryStream(flood)({ count: total, size: sizeBytes, sync })) {
      expect(message.i).toBe(consumed);
      consumed++;
      await sleep(1);
      if (consumed % 100 === 0) {
        const { accepted } = await progress();
        worstAhead = Math.max(worstAhead, accepted - consumed);
      }
      if (consumed === 500) break;
    }
    expect(worstAhead).toBeGreaterThan(0);
    expect(worstAhead).toBeLessThanOrEqual(maxAhead);
    // Leaving the loop cancelled the RPC: the generator was closed far from the end of its 20,000.
    for (let i = 0; i < 100; i++) {
      const { accepted, closed } = await progress();
      if (closed) {
        expect(accepted).toBeLessThan(consumed + maxAhead);
        return;
      }
      await sleep(20);
    }
    throw new Error("the server's generator was never closed");
  });
});
