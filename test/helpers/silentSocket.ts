// A unix socket that accepts connections and never answers: a place discovery keeps trying until
// its timeout (an engine that hangs at start, a stale socket some proxy still holds open).
import { createServer, type Socket } from 'node:net';

export interface SilentSocket {
  path: string;
  close(): Promise<void>;
}

export async function silentSocket(path: string): Promise<SilentSocket> {
  const held: Socket[] = [];
  const server = createServer((c) => {
    held.push(c);
    c.on('error', () => undefined);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, resolve);
  });
  return {
    path,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of held) c.destroy();
        server.close(() => resolve());
      }),
  };
}
