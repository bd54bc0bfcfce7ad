import type * as grpc from "@grpc/grpc-js";

/** What a call started on a CompressingClients lease reports back. */
export interface ClientLease {
  readonly client: grpc.Client;
  /** The call's response headers arrived, or it ended: its channel may have read them. */
  answered(): void;
  /** The call has ended (implies `answered`); later calls are ignored. */
  ended(): void;
}

interface Generation {
  readonly client: grpc.Client;
  active: number;
  answered: boolean;
}

/**
 * The grpc-js clients that compress requests with one algorithm, so that every call that asks for
 * compression gets it, whichever server answers.
 *
 * A grpc-js channel remembers the `grpc-accept-encoding` of the last response it received, and
 * compresses later calls only if that header lists the algorithm. It splits the header on "," and
 * does not trim (grpc-js 1.14 `compression-filter.ts`), so C-core's `identity, deflate, gzip` reads
 * as no gzip: from the first response of a C-core server on, every call of that channel goes out
 * uncompressed. The header is removed before any interceptor or event could show it, so which
 * servers spell it so cannot be known. Instead, no call starts on a channel that has had an answer:
 * that channel is retired and a new one takes the next call. The new one has the same target,
 * credentials and arguments, so grpc-js's subchannel pool gives it the same connection; a retired
 * channel is closed once its calls have ended and its successor has had an answer (so holds the
 * connection), so the connection stays up across the change. Sequential calls thus make a channel
 * each (~0.1 ms); concurrent calls share one until the first of them is answered.
 */
export class CompressingClients {
  readonly #create: () => grpc.Client;
  #current: Generation | null = null;
  readonly #retired = new Set<Generation>();

  /** `create` makes a client with the algorithm set (`grpc.default_compression_algorithm`). */
  constructor(create: () => grpc.Client) {
    this.#create = create;
  }

  /** The client to start one call on; report the call's answer and end to the lease. */
  lease(): ClientLease {
    let generation = this.#current;
    if (!generation || generation.answered) {
      if (generation) this.#retired.add(generation);
      generation = { client: this.#create(), active: 0, answered: false };
      this.#current = generation;
    }
    const leased = generation;
    leased.active += 1;
    let ended = false;
    const answered = () => {
      if (leased.answered) return;
      leased.answered = true;
      this.#closeRetired();
    };
    return {
      client: leased.client,
      answered,
      ended: () => {
        if (ended) return;
        ended = true;
        leased.active -= 1;
        if (leased.answered) this.#closeRetired();
        else answered();
      },
    };
  }

  /** Closes every client (their calls are left to end on their own, as grpc-js does). */
  close(): void {
    this.#current?.client.close();
    this.#current = null;
    for (const generation of this.#retired) generation.client.close();
    this.#retired.clear();
  }

  #closeRetired(): void {
    if (!this.#current?.answered) return;
    for (const generation of this.#retired) {
      if (generation.active > 0) continue;
      generation.client.close();
      this.#retired.delete(generation);
    }
  }
}
