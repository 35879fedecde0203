/** Where the progress bar still writes while everything else is captured. */
export interface Terminal {
  isTTY: boolean;
  columns: number;
  write(text: string): boolean;
}

/**
 * Sends everything written to stdout and stderr to `sink` until `restore`; `terminal` still reaches
 * stdout. Handlers log as they would in Lambda; their lines go to a log file per scenario, so they
 * neither interleave with the summary nor break `--json`.
 *
 * @example
 * ```ts
 * const output = captureOutput((text) => log.write(text));
 * try { await run(); } finally { output.restore(); }
 * ```
 */
export function captureOutput(sink: (text: string) => void): {
  readonly terminal: Terminal;
  restore(): void;
} {
  const stdoutWrite = process.stdout.write;
  const stderrWrite = process.stderr.write;
  const capture = ((chunk: string | Uint8Array) => {
    sink(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = capture;
  process.stderr.write = capture;
  let restored = false;
  return {
    terminal: {
      isTTY: process.stdout.isTTY === true,
      columns: process.stdout.columns ?? 100,
      write: (text: string) => stdoutWrite.call(process.stdout, text),
    },
    restore() {
      if (restored) return;
      restored = true;
      process.stdout.write = stdoutWrite;
      process.stderr.write = stderrWrite;
    },
  };
}
