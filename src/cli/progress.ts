/**
 * A one-line progress bar for long runs, drawn on a terminal only (a pipe or
 * a log file gets nothing) and redrawn at most ten times a second, so that
 * drawing it costs nothing next to the work it shows.
 */
export interface Progress {
  update(done: number): void;
  /** Clears the line. */
  done(): void;
}

const WIDTH = 30;
const EVERY_MS = 100;
const NONE: Progress = { update: () => {}, done: () => {} };

export function isTerminal(stream: NodeJS.WritableStream): boolean {
  return (stream as { isTTY?: boolean }).isTTY === true;
}

export function progressBar(stream: NodeJS.WritableStream, total: number, label: string, clock: () => number = Date.now): Progress {
  if (!isTerminal(stream) || total <= 0) return NONE;
  let last = 0;
  let drawn = false;
  return {
    update(done) {
      const now = clock();
      if (now - last < EVERY_MS && done < total) return;
      last = now;
      const share = Math.min(1, done / total);
      const filled = Math.round(share * WIDTH);
      stream.write(`\r${label} [${"#".repeat(filled)}${".".repeat(WIDTH - filled)}] ${String(Math.round(share * 100)).padStart(3)}% ${done}/${total}`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write("\r\u001b[2K");
    },
  };
}
