// A progress bar for long CLI work: redrawn in place on a terminal, a few plain lines otherwise.
export interface Progress {
  update(done: number, total: number): void;
  finish(message?: string): void;
}

export function createProgress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  const width = 30;
  let lastPercent = -1;
  return {
    update(done, total) {
      const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
      if (percent === lastPercent) return;
      lastPercent = percent;
      if (stream.isTTY) {
        const filled = Math.round((percent / 100) * width);
        stream.write(`\r${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${percent}% (${done}/${total})`);
      } else if (percent % 25 === 0) {
        stream.write(`${label}: ${percent}% (${done}/${total})\n`);
      }
    },
    finish(message) {
      if (stream.isTTY && lastPercent >= 0) stream.write("\n");
      if (message) stream.write(`${message}\n`);
    },
  };
}
