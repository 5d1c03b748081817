import { createServer } from 'node:net';

/** Ports this process has handed out: a port is free again until its server binds it. */
const handedOut = new Set<number>();

/**
 * A TCP port nobody listens on now, on the loopback interface, and not handed out before
 * by this process: servers started one after the other would otherwise race for one port.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await anyFreePort();
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    return port;
  }
}

function anyFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}
