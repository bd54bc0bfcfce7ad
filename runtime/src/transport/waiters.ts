/**
 * Everyone waiting for the same moment (room to write, the next message, the last connection
 * closed): `wait()` gives each a promise, `wakeAll()` resolves them all at once, so that two
 * waiters never see only the last one woken.
 */
export class Waiters {
  #waiting: (() => void)[] = [];

  wait(): Promise<void> {
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  wakeAll(): void {
    const waiting = this.#waiting;
    if (waiting.length === 0) return;
    this.#waiting = [];
    for (const wake of waiting) wake();
  }
}
