/**
 * Runs `work` over `items`, at most `limit` at a time, keeping the order of items that share a
 * key: an item starts only once every earlier item with one of its keys has settled. Items with
 * no key in common run side by side. One item failing does not stop the others; the results
 * come back in the order of the input.
 */
export async function runKeyed<T, R>(
  items: readonly T[],
  keysOf: (item: T) => readonly string[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  let active = 0;
  const waiting: (() => void)[] = [];
  const acquire = (): Promise<void> => {
    if (active < limit) {
      active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => waiting.push(resolve));
  };
  // A freed slot passes straight to the next waiting item, so `active` only drops when none waits.
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };

  const latest = new Map<string, Promise<unknown>>();
  const runs = items.map((item) => {
    const keys = [...new Set(keysOf(item))];
    const before = keys.map((k) => latest.get(k)).filter((p): p is Promise<unknown> => p !== undefined);
    const run = (async () => {
      // Waiting on earlier items holds no slot, so a chain of dependants can never starve the pool.
      await Promise.allSettled(before);
      await acquire();
      try {
        return await work(item);
      } finally {
        release();
      }
    })();
    for (const k of keys) latest.set(k, run);
    return run;
  });
  return Promise.allSettled(runs);
}
