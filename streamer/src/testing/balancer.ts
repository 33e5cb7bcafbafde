import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A one-line TCP load balancer whose backend can be switched, as when an instance dies: new
 * connections go to the current backend; open ones live and die with theirs.
 */
export function tcpBalancer(): Promise<{ port: number; target: (port: number) => void; close: () => void }> {
  let backend = 0;
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(backend, '127.0.0.1');
    open.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as { port: number }).port,
        target: (p) => (backend = p),
        close: () => {
          for (const s of open) s.destroy();
          server.close();
        },
      }),
    ),
  );
}
