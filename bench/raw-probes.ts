import { connect } from 'node:net';

/** A request written byte for byte, for what fetch and autocannon refuse to send. */
export type RawProbe = { name: string; request: Buffer };

export type RawProbeResult = {
  name: string;
  status: number | null;
  statusLine: string;
  /** The start of the body, to tell our worker's answers from the runtime's. */
  body: string;
};

const KB16 = 16 * 1024;

function raw(head: string, extra: Buffer = Buffer.alloc(0)): Buffer {
  return Buffer.concat([Buffer.from(head, 'latin1'), extra, Buffer.from('\r\n', 'latin1')]);
}

/** Hostile requests that only a raw socket can send: they reach workerd's HTTP parser. */
export function rawProbes(host: string): RawProbe[] {
  const h = `Host: ${host}\r\nConnection: close\r\n`;
  return [
    { name: 'CONNECT', request: raw(`CONNECT ${host} HTTP/1.1\r\n${h}`) },
    { name: 'lowercase get', request: raw(`get /rss.xml HTTP/1.1\r\n${h}`) },
    { name: 'TRACE', request: raw(`TRACE /rss.xml HTTP/1.1\r\n${h}`) },
    { name: 'TRACK', request: raw(`TRACK /rss.xml HTTP/1.1\r\n${h}`) },
    { name: 'PROPFIND', request: raw(`PROPFIND /rss.xml HTTP/1.1\r\n${h}`) },
    { name: 'made-up method', request: raw(`BREW /rss.xml HTTP/1.1\r\n${h}`) },
    {
      name: 'encoded dot-dot-slash',
      request: raw(`GET /topics/%2e%2e%2fmeta:build HTTP/1.1\r\n${h}`),
    },
    { name: 'raw dot-dot', request: raw(`GET /topics/../../meta:build HTTP/1.1\r\n${h}`) },
    { name: 'NUL escape', request: raw(`GET /rss.xml%00 HTTP/1.1\r\n${h}`) },
    { name: 'overlong UTF-8', request: raw(`GET /%c0%ae%c0%ae/%c0%af HTTP/1.1\r\n${h}`) },
    {
      name: 'raw non-UTF-8 bytes in the path',
      request: Buffer.concat([
        Buffer.from('GET /topics/', 'latin1'),
        Buffer.from([0xff, 0xfe, 0xc0, 0xaf]),
        Buffer.from(`/rss.xml HTTP/1.1\r\n${h}\r\n`, 'latin1'),
      ]),
    },
    {
      name: 'raw markup in the path',
      request: raw(`GET /topics/<script>x</script>/rss.xml HTTP/1.1\r\n${h}`),
    },
    {
      name: '16 KB path',
      request: raw(`GET /topics/${'a'.repeat(KB16)}/rss.xml HTTP/1.1\r\n${h}`),
    },
    {
      name: '16 KB query',
      request: raw(`GET /rss.xml?${'a=b&'.repeat(KB16 / 4)} HTTP/1.1\r\n${h}`),
    },
    {
      name: '16 KB If-None-Match',
      request: raw(`GET /rss.xml HTTP/1.1\r\n${h}If-None-Match: "${'a'.repeat(KB16)}"\r\n`),
    },
    {
      name: 'latin-1 If-Modified-Since',
      request: Buffer.concat([
        Buffer.from(`GET /rss.xml HTTP/1.1\r\n${h}If-Modified-Since: `, 'latin1'),
        Buffer.from([0xd7, 0xe9, 0xff]),
        Buffer.from('\r\n\r\n', 'latin1'),
      ]),
    },
    { name: 'Range', request: raw(`GET /rss.xml HTTP/1.1\r\n${h}Range: bytes=0-10\r\n`) },
    {
      name: '16 KB Accept',
      request: raw(
        `GET /nowhere HTTP/1.1\r\n${h}Accept: ${'text/x;q=0.1, '.repeat(1200)}text/html\r\n`,
      ),
    },
    { name: 'HTTP/1.0 without Host', request: raw('GET /rss.xml HTTP/1.0\r\n') },
    {
      name: 'absolute-form target',
      request: raw(`GET http://evil.example/rss.xml HTTP/1.1\r\n${h}`),
    },
  ];
}

/** Sends one probe and reads the status line (null when the server closed without one). */
export function sendRawProbe(
  port: number,
  probe: RawProbe,
  timeoutMs = 5000,
): Promise<RawProbeResult> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = '';
    const finish = () => {
      socket.destroy();
      const statusLine = received.split('\r\n', 1)[0] ?? '';
      const match = /^HTTP\/\d\.\d (\d{3})/.exec(statusLine);
      const bodyStart = received.indexOf('\r\n\r\n');
      const body = bodyStart === -1 ? '' : received.slice(bodyStart + 4, bodyStart + 204);
      resolve({ name: probe.name, status: match ? Number(match[1]) : null, statusLine, body });
    };
    socket.setTimeout(timeoutMs, finish);
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
    });
    socket.on('error', finish);
    socket.on('close', finish);
    socket.on('connect', () => socket.write(probe.request));
  });
}
