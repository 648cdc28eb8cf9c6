import { readFile } from 'node:fs/promises';
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import type { Config } from '../config.ts';

type TemporalConfig = Config['temporal'];

async function tlsOptions(config: TemporalConfig) {
  if (!config.tls) return undefined;
  const read = async (file?: string) => (file ? await readFile(file) : undefined);
  const [crt, key, ca] = await Promise.all([
    read(config.tlsCertPath),
    read(config.tlsKeyPath),
    read(config.tlsCaPath),
  ]);
  return {
    serverNameOverride: config.tlsServerName,
    serverRootCACertificate: ca,
    clientCertPair: crt && key ? { crt, key } : undefined,
  };
}

function requireAddress(config: TemporalConfig): string {
  if (!config.address) throw new Error('TEMPORAL_ADDRESS is not set');
  return config.address;
}

/** A client for the CLI and tests; fails within the connect timeout when Temporal is down. */
export async function connectTemporalClient(config: TemporalConfig): Promise<Client> {
  const options: ConnectionOptions = {
    address: requireAddress(config),
    tls: await tlsOptions(config),
    apiKey: config.apiKey,
    connectTimeout: '3s',
  };
  return new Client({ connection: await Connection.connect(options), namespace: config.namespace });
}

/**
 * The API's way to Temporal: connects on first use and again after a failed attempt, so the API
 * starts, and answers 503 rather than hanging, while Temporal is down.
 */
export class TemporalGateway {
  readonly config: TemporalConfig;
  #client: Client | undefined;
  #connecting: Promise<Client> | undefined;

  constructor(config: TemporalConfig) {
    this.config = config;
  }

  async client(): Promise<Client> {
    if (this.#client) return this.#client;
    this.#connecting ??= connectTemporalClient(this.config)
      .then((client) => (this.#client = client))
      .finally(() => (this.#connecting = undefined));
    return this.#connecting;
  }

  async close(): Promise<void> {
    await this.#connecting?.catch(() => undefined);
    await this.#client?.connection.close();
  }
}

/** The native connection workers poll with. */
export async function connectWorkerConnection(config: TemporalConfig): Promise<NativeConnection> {
  const options: NativeConnectionOptions = {
    address: requireAddress(config),
    tls: await tlsOptions(config),
    apiKey: config.apiKey,
  };
  return NativeConnection.connect(options);
}
