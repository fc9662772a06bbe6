/** A command with subcommands (`import polis`, `export hsds`, …), each with its own help. */
export interface Subcommand {
  summary: string;
  help: string;
  run(args: string[]): Promise<number>;
}

export function dispatch(command: string, subcommands: Record<string, Subcommand>) {
  const help = `civic ${command} — ${Object.keys(subcommands).join(', ')}

Usage:
${Object.entries(subcommands)
  .map(([name, s]) => `  npm run civic -- ${command} ${name.padEnd(14)} ${s.summary}`)
  .join('\n')}

Run npm run civic -- ${command} <kind> --help for one of them.
Exit codes: 0 success, 1 the command failed, 2 wrong usage.`;
  return {
    help,
    async run(args: string[]): Promise<number> {
      const [name, ...rest] = args;
      const sub = name ? subcommands[name] : undefined;
      if (!sub) {
        console.error(`civic ${command}: ${name ? `unknown kind "${name}"` : 'which kind?'}\n\n${help}`);
        return 2;
      }
      if (rest.includes('--help') || rest.includes('-h')) {
        console.log(sub.help);
        return 0;
      }
      return sub.run(rest);
    },
  };
}
