/**
 * Leak checks for real-server tests: `--detectOpenHandles` only prints, so suites compare the
 * process's active resources (sockets, servers, timers) before and after, and fail on any extra.
 */
export type ResourceCounts = Map<string, number>;

export function activeResources(): ResourceCounts {
  const counts: ResourceCounts = new Map();
  for (const name of process.getActiveResourcesInfo()) counts.set(name, (counts.get(name) ?? 0) + 1);
  return counts;
}

/** What is active now that was not in `before` (by type, with how many more). */
export function extraResources(before: ResourceCounts): string[] {
  const extra: string[] = [];
  for (const [name, count] of activeResources()) {
    const more = count - (before.get(name) ?? 0);
    if (more > 0) extra.push(`${name} ×${more}`);
  }
  return extra;
}

/**
 * Resolves once nothing is active beyond `before`; rejects after `withinMs` naming what is still
 * open. Closing sockets takes the event loop a few turns, hence the polling.
 */
export async function expectNoLeaks(before: ResourceCounts, withinMs = 2000): Promise<void> {
  const until = Date.now() + withinMs;
  for (;;) {
    const extra = extraResources(before);
    if (extra.length === 0) return;
    if (Date.now() > until) throw new Error(`resources still open after the test: ${extra.join(", ")}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Registers jest hooks that snapshot resources before the suite and, after every `afterAll` of
 * the suite has closed what it opened, fail if anything is left.
 */
export function checkLeaksAfterAll(): void {
  let before: ResourceCounts = new Map();
  beforeAll(() => {
    before = activeResources();
  });
  afterAll(async () => {
    await expectNoLeaks(before);
  });
}
