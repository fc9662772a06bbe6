/**
 * A progress bar on stderr for long work. On a terminal it redraws one line; elsewhere (CI, pipes)
 * it prints a line at each tenth so logs stay short.
 */
export interface Progress {
  tick(by?: number): void;
  done(message?: string): void;
}

export function progress(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  let current = 0;
  let lastDecile = -1;
  const started = Date.now();
  const width = 28;
  const render = () => {
    const ratio = total > 0 ? Math.min(1, current / total) : 1;
    if (stream.isTTY) {
      const filled = Math.round(ratio * width);
      stream.write(
        `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${current}/${total} ${Math.round(ratio * 100)}%`,
      );
    } else {
      const decile = Math.floor(ratio * 10);
      if (decile !== lastDecile) {
        lastDecile = decile;
        stream.write(`${label}: ${current}/${total} (${decile * 10}%)\n`);
      }
    }
  };
  render();
  return {
    tick(by = 1) {
      current += by;
      render();
    },
    done(message) {
      current = total;
      render();
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      stream.write(`${stream.isTTY ? '\n' : ''}${label}: ${message ?? 'done'} in ${seconds}s\n`);
    },
  };
}
