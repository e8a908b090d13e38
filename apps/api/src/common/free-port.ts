import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Ports this process has handed out: two servers started side by side must not get the same. */
const handedOut = new Set<number>();

/**
 * A TCP port free on the loopback interface right now, for a server started next.
 *
 * The port is drawn below the kernel's ephemeral range: a port from that range (what `listen(0)`
 * gives) may be taken between this call and the server's bind by the local end of any outgoing
 * connection, such as a database pool opening a connection, and the server then fails to start.
 */
export async function freePort(): Promise<number> {
  const [low, high] = fixedRange();
  for (let attempt = 0; attempt < 100 && high > low; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low));
    if (handedOut.has(port)) continue;
    if (await canListen(port)) return handOut(port);
  }
  return handOut(await systemPort());
}

function handOut(port: number): number {
  handedOut.add(port);
  return port;
}

/** The ports between 20000 and the start of the ephemeral range (32768 on Linux by default). */
function fixedRange(): [number, number] {
  let ephemeralLow = 32768;
  try {
    const [first] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    if (first && Number(first) > 0) ephemeralLow = Number(first);
  } catch {
    // Not Linux: keep the IANA default.
  }
  return [20000, Math.min(ephemeralLow, 65536)];
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

function systemPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}
