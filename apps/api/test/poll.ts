/**
 * Reads until `count` rows are there, for at most 2 s: a refused access is audited after its
 * answer has gone out, so a test reading at once could see nothing yet.
 */
export async function poll<T>(read: () => Promise<T[]>, count = 1): Promise<T[]> {
  const until = Date.now() + 2000;
  for (;;) {
    const rows = await read();
    if (rows.length >= count || Date.now() > until) return rows;
    await new Promise((r) => setTimeout(r, 50));
  }
}
