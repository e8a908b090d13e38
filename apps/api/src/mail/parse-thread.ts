// Entry point of the thread that parses received mail (see MessageParser).
import { parentPort, workerData } from 'node:worker_threads';
import { parseRaw } from './parse-raw';

const { messageIdDomain } = workerData as { messageIdDomain: string };

parentPort?.on('message', (job: { id: number; raw: Uint8Array }) => {
  const raw = Buffer.from(job.raw.buffer, job.raw.byteOffset, job.raw.byteLength);
  void parseRaw(raw, messageIdDomain).then(({ rawKey, message, error }) => {
    // Attachments that own their memory are handed over rather than copied (up to megabytes each).
    const owned = new Set<ArrayBuffer>();
    for (const a of message?.attachments ?? []) {
      const b = a.content.buffer;
      if (b instanceof ArrayBuffer && a.content.byteOffset === 0 && a.content.byteLength === b.byteLength) owned.add(b);
    }
    parentPort?.postMessage({ id: job.id, rawKey, message, error }, [...owned]);
  });
});
