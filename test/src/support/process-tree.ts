import { readdirSync, readFileSync } from "node:fs";

/** A process as /proc tells it (Linux). */
export interface ProcessInfo {
  pid: number;
  parent: number;
  command: string;
}

function read(pid: number): (ProcessInfo & { zombie: boolean }) | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (comm) state ppid …": comm may hold spaces and parentheses.
    const [state, parent] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const command = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim();
    return { pid, parent: Number(parent), command, zombie: state === "Z" };
  } catch {
    return undefined;
  }
}

/** Whether the process still runs (a zombie has ended: only its exit status is left). */
export function isAlive(pid: number): boolean {
  const info = read(pid);
  return info !== undefined && !info.zombie;
}

/** Every live process descended from `root`, children before grandchildren. */
export function descendants(root: number): ProcessInfo[] {
  const all = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map((name) => read(Number(name)))
    .filter((info) => info !== undefined && !info.zombie) as ProcessInfo[];
  const found: ProcessInfo[] = [];
  const parents = [root];
  while (parents.length > 0) {
    const parent = parents.shift();
    for (const info of all) {
      if (info.parent !== parent) continue;
      found.push({ pid: info.pid, parent: info.parent, command: info.command });
      parents.push(info.pid);
    }
  }
  return found;
}
