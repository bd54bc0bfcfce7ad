/**
 * Everyone waiting for the same moment (room to write, the next message, the last connection
 * closed): `wait()` gives each a promise, `wakeAll()` resolves them all at once, so that two
 * waiters never see only the last one woken.
 */
export class Waiters {
  // Made on first wait: most RPCs never wait for room to write.
  #waiting: (() => void)[] | null = null;

  wait(): Promise<void> {
    return new Promise((resolve) => (this.#waiting ??= []).push(resolve));
  }

  wakeAll(): void {
    const waiting = this.#waiting;
    if (waiting === null) return;
    this.#waiting = null;
    for (const wake of waiting) wake();
  }
}
