import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../config.ts';
import { temporalConnectionSettings } from './temporal-connection.ts';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'aa-tls-'));
  await Promise.all([
    writeFile(path.join(dir, 'client.pem'), 'CERT'),
    writeFile(path.join(dir, 'client.key'), 'KEY'),
    writeFile(path.join(dir, 'ca.pem'), 'CA'),
  ]);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('temporalConnectionSettings', () => {
  it('sends plaintext, and says so explicitly, when TLS is off', async () => {
    const settings = await temporalConnectionSettings(
      loadConfig({ TEMPORAL_ADDRESS: 'temporal:7233', TEMPORAL_TLS: 'false', TEMPORAL_API_KEY: 'k' }).temporal,
    );
    expect(settings).toEqual({ address: 'temporal:7233', tls: false, apiKey: 'k' });
  });

  it('loads the client certificate pair, the CA and the server name for mTLS', async () => {
    const config = loadConfig({
      TEMPORAL_ADDRESS: 'temporal.example.org:7233',
      TEMPORAL_TLS_CERT_PATH: path.join(dir, 'client.pem'),
      TEMPORAL_TLS_KEY_PATH: path.join(dir, 'client.key'),
      TEMPORAL_TLS_CA_PATH: path.join(dir, 'ca.pem'),
      TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
    });
    const { tls } = await temporalConnectionSettings(config.temporal);
    expect(tls).not.toBe(false);
    if (tls === false) return;
    expect(tls.serverNameOverride).toBe('temporal.internal');
    expect(String(tls.serverRootCACertificate)).toBe('CA');
    expect(tls.clientCertPair && [String(tls.clientCertPair.crt), String(tls.clientCertPair.key)]).toEqual([
      'CERT',
      'KEY',
    ]);
  });

  it('uses system roots and no client certificate for plain TLS with an API key', async () => {
    const settings = await temporalConnectionSettings(
      loadConfig({ TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_API_KEY: 'k' }).temporal,
    );
    expect(settings).toEqual({
      address: 'ns.acct.tmprl.cloud:7233',
      tls: { serverNameOverride: undefined, serverRootCACertificate: undefined, clientCertPair: undefined },
      apiKey: 'k',
    });
  });

  it('names the variable whose file cannot be read', async () => {
    const config = loadConfig({
      TEMPORAL_ADDRESS: 'temporal:7233',
      TEMPORAL_TLS_CA_PATH: path.join(dir, 'missing.pem'),
    });
    const settings = temporalConnectionSettings(config.temporal);
    await expect(settings).rejects.toThrow(ConfigError);
    await expect(settings).rejects.toThrow(/TEMPORAL_TLS_CA_PATH: cannot read .*missing\.pem/);
  });

  it('refuses to connect without an address', async () => {
    await expect(temporalConnectionSettings(loadConfig({}).temporal)).rejects.toThrow(/TEMPORAL_ADDRESS is not set/);
  });
});
