import { once } from "node:events";
import { type ClientRequest, type IncomingMessage, request } from "node:http";

/** An HTTP response being read line by line, and the request to destroy to hang up early. */
export interface NdjsonResponse {
  request: ClientRequest;
  response: IncomingMessage;
  /** Each line of the body as it arrives, without its newline. */
  lines: AsyncGenerator<string>;
  /** The lines not read yet, and a last one without a newline (an error body), until the end. */
  rest(): Promise<string[]>;
}

/**
 * GETs `url` with `node:http` (no connection pooling, so nothing stays open) and hands back the
 * body as lines as they arrive: what a test needs to see a stream is incremental.
 */
export async function getNdjson(url: string): Promise<NdjsonResponse> {
  const req = request(url, { agent: false });
  req.end();
  const [response] = (await once(req, "response")) as [IncomingMessage];
  response.setEncoding("utf8");
  let buffered = "";
  const lines = (async function* () {
    for await (const chunk of response as AsyncIterable<string>) {
      buffered += chunk;
      let newline = buffered.indexOf("\n");
      while (newline >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        yield line;
        newline = buffered.indexOf("\n");
      }
    }
  })();
  const rest = async () => {
    const remaining: string[] = [];
    for await (const line of lines) remaining.push(line);
    if (buffered) remaining.push(buffered);
    return remaining;
  };
  return { request: req, response, lines, rest };
}
