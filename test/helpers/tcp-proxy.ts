import net from 'node:net';

export type ProxyMode = 'forward' | 'refuse' | 'blackhole' | 'stall';

/**
 * A TCP proxy a test can cut: `refuse` closes the port and every open connection (as when a
 * server or its host goes down); `blackhole` accepts connections and never answers (as when a
 * network drops packets); `stall` leaves open connections open but carries nothing more on them
 * while new ones are forwarded (as a connection that died without a word, behind a NAT or a
 * failover). Back to `forward`, new connections reach the target again.
 */
export class TcpProxy {
  readonly targetHost: string;
  readonly targetPort: number;
  port = 0;
  #server: net.Server | undefined;
  #sockets = new Set<net.Socket>();
  #stalled = new Set<net.Socket>();
  #mode: ProxyMode = 'forward';

  constructor(targetHost: string, targetPort: number) {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
  }

  async start(port = 0): Promise<this> {
    this.#server = net.createServer((client) => this.#accept(client));
    await new Promise<void>((resolve, reject) => {
      this.#server!.once('error', reject);
      this.#server!.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.#server.address() as net.AddressInfo).port;
    return this;
  }

  async setMode(mode: ProxyMode): Promise<void> {
    this.#mode = mode;
    if (mode === 'stall') {
      for (const socket of this.#sockets) {
        socket.unpipe().pause();
        this.#stalled.add(socket);
      }
      this.#sockets.clear();
      return;
    }
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
    if (mode === 'refuse') await this.#close();
    else if (!this.#server) await this.start(this.port);
  }

  async stop(): Promise<void> {
    for (const socket of [...this.#sockets, ...this.#stalled]) socket.destroy();
    await this.#close();
  }

  #accept(client: net.Socket): void {
    this.#sockets.add(client);
    client.once('close', () => this.#sockets.delete(client));
    client.on('error', () => client.destroy());
    if (this.#mode === 'blackhole') return;
    const upstream = net.connect(this.targetPort, this.targetHost);
    this.#sockets.add(upstream);
    upstream.once('close', () => {
      this.#sockets.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => upstream.destroy());
    client.once('close', () => upstream.destroy());
    client.pipe(upstream).pipe(client);
  }

  async #close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
