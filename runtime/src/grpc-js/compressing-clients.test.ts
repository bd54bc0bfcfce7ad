import type * as grpc from "@grpc/grpc-js";
import { CompressingClients } from "./compressing-clients.js";

/** Fake grpc-js clients, numbered in the order they are made, that record whether they were closed. */
function fakes() {
  const made: { id: number; closed: boolean }[] = [];
  const clients = new CompressingClients(() => {
    const client = { id: made.length + 1, closed: false, close: () => (client.closed = true) };
    made.push(client);
    return client as unknown as grpc.Client;
  });
  const id = (client: grpc.Client) => (client as unknown as { id: number }).id;
  const open = () => made.filter((c) => !c.closed).map((c) => c.id);
  return { clients, id, open };
}

describe("CompressingClients", () => {
  it("starts no call on a client that has had an answer, and closes it once its successor has one", () => {
    const { clients, id, open } = fakes();
    const first = clients.lease();
    expect(id(first.client)).toBe(1);
    first.answered();
    first.ended();
    expect(open()).toEqual([1]); // it holds the connection until another client does

    const second = clients.lease();
    expect(id(second.client)).toBe(2);
    expect(open()).toEqual([1, 2]);
    second.answered();
    expect(open()).toEqual([2]);
    second.ended();

    expect(id(clients.lease().client)).toBe(3);
  });

  it("shares one client among calls started before any of them is answered", () => {
    const { clients, id } = fakes();
    const leases = [clients.lease(), clients.lease(), clients.lease()];
    expect(leases.map((l) => id(l.client))).toEqual([1, 1, 1]);
    leases[1]?.answered();
    expect(id(clients.lease().client)).toBe(2);
  });

  it("keeps a retired client open while it has calls, and closes it when the last one ends", () => {
    const { clients, open } = fakes();
    const slow = clients.lease();
    const quick = clients.lease();
    quick.ended(); // ended without headers: counts as an answer
    const next = clients.lease();
    next.answered();
    expect(open()).toEqual([1, 2]);
    slow.ended();
    expect(open()).toEqual([2]);
    slow.ended(); // a second report changes nothing
    expect(open()).toEqual([2]);
  });

  it("closes every client on close, retired or current", () => {
    const { clients, open } = fakes();
    const a = clients.lease();
    a.answered();
    clients.lease();
    expect(open()).toEqual([1, 2]);
    clients.close();
    expect(open()).toEqual([]);
  });
});
