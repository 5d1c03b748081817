// Shared by deploy.ts, rollback.ts and start.ts: how a command ends, and where shards are read.
import { UsageError } from '../src/compile/parse-build-args.ts';
import { PublishError } from '../src/publish/publish-error.ts';

/**
 * Runs a command's main and sets the exit status: its own, 2 for bad usage (with the usage),
 * 1 for a PublishError (its message alone: it says what to do) or anything else.
 */
export function runCommand(name: string, main: () => Promise<number>, usage: string): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof UsageError) {
        console.error(`${name}: ${error.message}\n\n${usage}`);
        process.exitCode = 2;
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      console.error(`${name}: ${message}`);
      if (
        !(error instanceof PublishError) &&
        error instanceof Error &&
        process.env.EDGEFEED_DEBUG
      ) {
        console.error(error.stack);
      }
      process.exitCode = 1;
    },
  );
}
