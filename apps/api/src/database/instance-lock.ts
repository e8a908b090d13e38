import { readFileSync } from 'node:fs';
import { open, readFile, unlink } from 'node:fs/promises';

/** Another live process holds the data folder. */
export class AlreadyRunningError extends Error {
  constructor(readonly pid: number) {
    super(`Guichet is already running on this data folder, pid ${pid}. Stop it first (kill ${pid}), or set DATA_DIR to another folder.`);
    this.name = 'AlreadyRunningError';
  }
}

interface Owner {
  pid: number;
  /** The owner's start time (Linux): a pid reused by an unrelated process after a reboot is no owner. */
  started?: string;
}

/**
 * One process at a time per data folder: a file naming its owner, created exclusively. A file
 * whose owner is gone (killed, machine restarted) is stale and taken over; a live owner is
 * never disturbed.
 */
export class InstanceLock {
  private held = false;

  constructor(private readonly file: string) {}

  async acquire(): Promise<void> {
    const me: Owner = { pid: process.pid, started: startTime(process.pid) };
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const handle = await open(this.file, 'wx', 0o644);
        await handle.writeFile(JSON.stringify(me));
        await handle.close();
        this.held = true;
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const owner = await this.owner();
      if (owner && isRunning(owner)) throw new AlreadyRunningError(owner.pid);
      await unlink(this.file).catch(() => undefined);
    }
    // Two starts took over the same stale file at once: whoever wrote last holds it.
    const owner = await this.owner();
    throw new AlreadyRunningError(owner?.pid ?? 0);
  }

  async release(): Promise<void> {
    if (!this.held) return;
    this.held = false;
    const owner = await this.owner();
    if (owner?.pid === process.pid) await unlink(this.file).catch(() => undefined);
  }

  private async owner(): Promise<Owner | undefined> {
    try {
      const owner = JSON.parse(await readFile(this.file, 'utf8')) as Owner;
      return Number.isInteger(owner.pid) && owner.pid > 0 ? owner : undefined;
    } catch {
      // Unreadable or half written by a process killed at that moment: no owner.
      return undefined;
    }
  }
}

function isRunning(owner: Owner): boolean {
  if (!isAlive(owner.pid)) return false;
  const started = startTime(owner.pid);
  return owner.started === undefined || started === undefined || started === owner.started;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: alive, but another user's.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Field 22 of /proc/<pid>/stat (clock ticks since boot); undefined off Linux. */
function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
