// Worker thread of writeBundleFile: JSON-escapes, hashes, encodes and writes each document
// the main thread renders, so that those passes over 250 MB (at 100,000 seeds) run on the
// second core while the main thread renders the next documents.
import { parentPort, workerData } from 'node:worker_threads';
import { BundleFileWriter } from './bundle-file-writer.ts';
import type { WriterMessage, WriterReply } from './bundle-writer-protocol.ts';

const port = parentPort;
if (!port) throw new Error('bundle-writer-thread.ts runs only as a worker thread');
const { temp, previous } = workerData as { temp: string; previous: string | undefined };
const writer = new BundleFileWriter(temp, previous);
const reply = (message: WriterReply) => port.postMessage(message);

let failed = false;

port.on('message', (message: WriterMessage) => {
  if (failed) return;
  try {
    if (message.type === 'render') {
      writer.render(message.doc);
      reply({ type: 'ack', chars: message.doc.body.length });
    } else if (message.type === 'reuse') writer.reuse(message.key, message.prior);
    else if (message.type === 'end') reply({ type: 'written', written: writer.written() });
    else {
      writer.finish(message.recordLine).then(
        () => reply({ type: 'finished' }),
        (error: unknown) => fail(error, false),
      );
    }
  } catch (error) {
    fail(error, true);
  }
});

function fail(error: unknown, open: boolean): void {
  failed = true;
  const report = () =>
    reply({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  if (open) writer.abandon().then(report, report);
  else report();
}
