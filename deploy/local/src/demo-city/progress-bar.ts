/** What a loader reports: a phase's name with how much of it is done. */
export type ProgressListener = (phase: string, done: number, total: number) => void;

/**
 * A progress bar on a terminal (redrawn in place), or a line per phase and per tenth of it
 * when the output is a log.
 */
export function progressBar(stream: NodeJS.WriteStream = process.stderr): ProgressListener {
  let lastTenth = -1;
  return (phase, done, total) => {
    const share = total === 0 ? 1 : done / total;
    if (stream.isTTY) {
      const width = 30;
      const filled = Math.round(share * width);
      stream.write(
        `\r${phase.padEnd(14)} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total}`,
      );
      if (done === total) stream.write("\n");
      return;
    }
    const tenth = Math.floor(share * 10);
    if (tenth === lastTenth && done !== total) return;
    lastTenth = done === total ? -1 : tenth;
    stream.write(`${phase}: ${done}/${total}\n`);
  };
}
