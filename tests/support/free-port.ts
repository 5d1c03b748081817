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

/**
 * `preferred` when nobody listens on it and this process has not handed it out, else any
 * free port: pages whose screenshots are committed show the same URLs from run to run.
 */
export async function portPreferring(preferred: number): Promise<number> {
  if (!handedOut.has(preferred) && (await isFree(preferred))) {
    handedOut.add(preferred);
    return preferred;
  }
  return freePort();
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
