/** The `hushcart` command (package.json "bin", built to dist/cli/hushcart.mjs by vite.cli.config.ts). */
import { runCli } from './cli';

const code = await runCli(process.argv.slice(2), {
  out: (s) => process.stdout.write(s + '\n'),
  err: (s) => process.stderr.write(s + '\n'),
});
process.exitCode = code;
