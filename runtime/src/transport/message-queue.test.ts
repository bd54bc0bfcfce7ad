import { MessageQueue } from "./message-queue.js";

const bytes = (n: number) => new Uint8Array(n);

test("messages come out first in first out, with their bytes counted", () => {
  const queue = new MessageQueue();
  const [a, b, c] = [bytes(1), bytes(2), bytes(30)];
  queue.push(a);
  queue.push(b);
  expect([queue.length, queue.bytes, queue.lastBytes]).toEqual([2, 3, 2]);
  expect(queue.shift()).toBe(a);
  queue.push(c);
  expect([queue.length, queue.bytes, queue.lastBytes]).toEqual([2, 32, 30]);
  expect(queue.shift()).toBe(b);
  expect(queue.shift()).toBe(c);
  expect(queue.shift()).toBeUndefined();
  expect([queue.length, queue.bytes, queue.lastBytes]).toEqual([0, 0, 30]);
});

test("full at either bound, in bytes or in messages (empty messages count too)", () => {
  const queue = new MessageQueue();
  queue.push(bytes(10));
  expect(queue.full(10, 5)).toBe(true);
  expect(queue.full(11, 5)).toBe(false);
  queue.clear();
  for (let i = 0; i < 3; i++) queue.push(bytes(0));
  expect(queue.full(1, 3)).toBe(true);
  expect(queue.full(1, 4)).toBe(false);
});

test("clear drops what is held; the queue works on afterwards", () => {
  const queue = new MessageQueue();
  queue.push(bytes(4));
  queue.push(bytes(5));
  queue.shift();
  queue.clear();
  expect([queue.length, queue.bytes]).toEqual([0, 0]);
  const next = bytes(7);
  queue.push(next);
  expect(queue.shift()).toBe(next);
});
