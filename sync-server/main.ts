/**
 * The relay's CLI entry (`npm run relay -- …`; built as out/main/relay.js by electron-vite).
 * See sync-server/README.md and `relay --help`.
 */
import { runCli } from './cli/cli';

const result = await runCli(process.argv.slice(2), process.env, {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
});

if ('relay' in result) {
  const { relay } = result;
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    relay.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`relay: shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} else {
  process.exitCode = result.exitCode;
}
