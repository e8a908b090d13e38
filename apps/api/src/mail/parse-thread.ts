// Entry point of the thread that parses received mail (see MessageParser).
import { parentPort, workerData } from 'node:worker_threads';
import { parseRaw } from './parse-raw';

const { messageIdDomain } = workerData as { messageIdDomain: string };

parentPort?.on('message', (job: { id: number; raw: Uint8Array }) => {
  const raw = Buffer.from(job.raw.buffer, job.raw.byteOffset, job.raw.byteLength);
  void parseRaw(raw, messageIdDomain).then(({ rawKey, message, error }) => parentPort?.postMessage({ id: job.id, rawKey, message, error }));
});
