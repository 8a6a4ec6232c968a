// A TCP relay on 127.0.0.1 that passes a real server's answers on at a set rate, so a pull from
// the real test registry lasts long enough to be cancelled, or to lose its engine, mid-way.
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface Relay {
  port: number;
  /** Connections open now (a client that dropped its download closed its own). */
  active(): number;
  close(): Promise<void>;
}

export async function slowRelay(target: { host: string; port: number }, bytesPerSec: number): Promise<Relay> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    sockets.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    // Answers go on in slices of a tenth of a second's worth.
    const slice = Math.max(1024, Math.floor(bytesPerSec / 10));
    upstream.on('data', (chunk: Buffer) => {
      upstream.pause();
      let off = 0;
      const step = () => {
        if (client.destroyed) return;
        if (off >= chunk.length) return void upstream.resume();
        client.write(chunk.subarray(off, off + slice));
        off += slice;
        setTimeout(step, 100);
      };
      step();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    active: () => [...sockets].filter((s) => !s.destroyed).length / 2,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
