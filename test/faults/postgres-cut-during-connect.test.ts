import { spawn } from 'node:child_process';
import net from 'node:net';
import { PROJECT_ROOT } from '../../src/project-paths.ts';
import { testConfig } from '../helpers/test-stack.ts';

const target = new URL(testConfig().database.url!);

/**
 * Forwards to PostgreSQL, but cuts the first connection on which the client asks for the array
 * types (postgres.js does so right after connecting): a server going down at that moment.
 */
function proxyCuttingTheTypeFetch(): Promise<{ server: net.Server; port: number; cuts: () => number }> {
  let cuts = 0;
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    const cut = () => (client.destroy(), upstream.destroy());
    client.on('error', cut);
    upstream.on('error', cut);
    client.on('close', cut);
    upstream.on('close', cut);
    client.on('data', (data) => {
      if (cuts === 0 && data.includes('pg_catalog.pg_type')) {
        cuts += 1;
        cut();
      } else upstream.write(data);
    });
    upstream.pipe(client);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, port: (server.address() as net.AddressInfo).port, cuts: () => cuts }),
    ),
  );
}

// A process of its own: the failure was an unhandled rejection, which ends a process (a worker's).
const CLIENT = `
  import postgres from 'postgres';
  const sql = postgres(process.argv[1], { max: 1, onnotice: () => {} });
  // Kysely takes every connection with reserve(), the path on which the rejection went unhandled.
  const connection = await sql.reserve();
  const [row] = await connection\`select 42 as answer\`;
  connection.release();
  console.log(row.answer);
  await sql.end();
`;

describe('a PostgreSQL connection cut while postgres.js fetches the array types', () => {
  it('is opened again and the query answered, instead of an unhandled rejection ending the process', async () => {
    const proxy = await proxyCuttingTheTypeFetch();
    try {
      const url = new URL(target);
      url.port = String(proxy.port);
      const child = spawn(process.execPath, ['--input-type=module', '-e', CLIENT, url.toString()], {
        cwd: PROJECT_ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(proxy.cuts()).toBe(1);
      expect({ code, output: output.trim() }).toEqual({ code: 0, output: '42' });
    } finally {
      proxy.server.close();
    }
  });
});
