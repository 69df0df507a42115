// `npm run cli -- ...`: the terminal client. See args.ts (USAGE) for the options and the
// exit codes.
import { runCli } from './run';

const code = await runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
// NOTE: @roamhq/wrtc keeps native threads alive after every connection is closed, so
// the process would never end by itself.
process.exit(code);
