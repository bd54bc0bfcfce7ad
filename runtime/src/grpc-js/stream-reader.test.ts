import { PassThrough } from "node:stream";
import { StreamReader } from "./stream-reader.js";

describe("StreamReader", () => {
  it("wakes every concurrent read(), then gives null at the end", async () => {
    const stream = new PassThrough({ objectMode: true });
    const reader = new StreamReader(stream);
    const first = reader.read();
    const second = reader.read();
    stream.write(Buffer.from("a"));
    stream.write(Buffer.from("b"));
    const got = (await Promise.all([first, second])).map(String).sort();
    expect(got).toEqual(["a", "b"]);
    const third = reader.read();
    stream.end();
    await expect(third).resolves.toBeNull();
    await expect(reader.read()).resolves.toBeNull();
  });
});
