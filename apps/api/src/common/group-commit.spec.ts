import { GroupCommit } from './group-commit';

describe('GroupCommit', () => {
  it('writes the first item alone and the items added meanwhile in one group', async () => {
    const writes: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const group = new GroupCommit<number>(async (items) => {
      writes.push(items);
      if (writes.length === 1) await gate;
    });
    const all = [1, 2, 3, 4].map((n) => group.add(n));
    await Promise.resolve();
    expect(writes).toEqual([[1]]);
    release();
    await Promise.all(all);
    expect(writes).toEqual([[1], [2, 3, 4]]);
  });

  it('rejects only the callers of the group whose write failed', async () => {
    let calls = 0;
    const group = new GroupCommit<string>(async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 5));
      if (calls === 2) throw new Error('disk full');
    });
    const first = group.add('a');
    const second = [group.add('b'), group.add('c')];
    await expect(first).resolves.toBeUndefined();
    await expect(Promise.all(second)).rejects.toThrow('disk full');
    await expect(group.add('d')).resolves.toBeUndefined();
    expect(calls).toBe(3);
  });
});
