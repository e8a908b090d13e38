// A real SMTP server process used as the sink of outgoing mail in tests. It accepts every
// message (STARTTLS offered, AUTH accepted for the test account) and writes each one, raw, to
// OUT_DIR as <n>.eml with a <n>.json envelope. Prints "listening <port>" when ready.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

const outDir = process.env.OUT_DIR;
const port = Number(process.env.PORT);
const [key, cert] = [process.env.TLS_KEY, process.env.TLS_CERT];
mkdirSync(outDir, { recursive: true });
let n = 0;
const server = new SMTPServer({
  secure: false,
  // Without a certificate of the test's own, smtp-server's built-in self-signed one serves STARTTLS.
  ...(key && cert ? { key, cert } : {}),
  authOptional: true,
  banner: 'guichet test sink',
  size: 50 * 1024 * 1024,
  onAuth(auth, _session, callback) {
    if (auth.username === process.env.SMTP_USER && auth.password === process.env.SMTP_PASS) return callback(null, { user: auth.username });
    return callback(new Error('Invalid username or password'));
  },
  onRcptTo(address, _session, callback) {
    // Addresses at reject.test bounce at once, for failure tests.
    if (address.address.endsWith('@reject.test')) return callback(new Error('550 No such user'));
    return callback();
  },
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', () => {
      const id = String(++n).padStart(6, '0');
      writeFileSync(join(outDir, `${id}.eml`), Buffer.concat(chunks));
      writeFileSync(
        join(outDir, `${id}.json`),
        JSON.stringify({
          from: session.envelope.mailFrom && session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          secure: session.secure,
        }),
      );
      callback();
    });
  },
});
let ready = false;
// Before listening, an error is the port being taken: exit so that the test picks another.
// After, errors are single client connections going wrong, which the tests observe themselves.
server.on('error', (err) => {
  if (ready) return;
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
server.listen(port, '127.0.0.1', () => {
  ready = true;
  process.stdout.write(`listening ${port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
