import { readFile } from 'node:fs/promises';
import { Client, Connection, type ConnectionOptions, type TLSConfig } from '@temporalio/client';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import { ConfigError, type Config } from '../config.ts';
import { deadlineAwareRetryInterceptor } from './deadline-aware-retry.ts';

type TemporalConfig = Config['temporal'];

/** What both the API's client and the workers' native connection connect with, so they cannot drift apart. */
export interface TemporalConnectionSettings {
  address: string;
  /** `false`, never `undefined`, when TLS is off: the SDK would otherwise turn it on for an API key. */
  tls: TLSConfig | false;
  apiKey: string | undefined;
}

async function readSetting(variable: string, file: string | undefined): Promise<Buffer | undefined> {
  if (!file) return undefined;
  try {
    return await readFile(file);
  } catch (err) {
    throw new ConfigError(`${variable}: cannot read ${file} (${err instanceof Error ? err.message : String(err)})`);
  }
}

export async function temporalConnectionSettings(config: TemporalConfig): Promise<TemporalConnectionSettings> {
  if (!config.address) throw new ConfigError('TEMPORAL_ADDRESS is not set');
  if (!config.tls) return { address: config.address, tls: false, apiKey: config.apiKey };
  const [crt, key, ca] = await Promise.all([
    readSetting('TEMPORAL_TLS_CERT_PATH', config.tlsCertPath),
    readSetting('TEMPORAL_TLS_KEY_PATH', config.tlsKeyPath),
    readSetting('TEMPORAL_TLS_CA_PATH', config.tlsCaPath),
  ]);
  const tls: TLSConfig = {
    serverNameOverride: config.tlsServerName,
    serverRootCACertificate: ca,
    clientCertPair: crt && key ? { crt, key } : undefined,
  };
  return { address: config.address, tls, apiKey: config.apiKey };
}

/** A client for the CLI and tests; fails within the connect timeout when Temporal is down. */
export async function connectTemporalClient(config: TemporalConfig): Promise<Client> {
  const options: ConnectionOptions = {
    ...(await temporalConnectionSettings(config)),
    connectTimeout: '3s',
    interceptors: [deadlineAwareRetryInterceptor()],
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
  const options: NativeConnectionOptions = await temporalConnectionSettings(config);
  return NativeConnection.connect(options);
}
