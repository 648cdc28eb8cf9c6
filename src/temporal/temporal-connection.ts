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

/**
 * A client for the API and CLI; one per process, closed on shutdown. The connection is lazy so
 * the API starts, and answers /readyz with 503, while Temporal is still down.
 */
export async function createTemporalClient(config: TemporalConfig): Promise<Client> {
  const options: ConnectionOptions = {
    ...(await temporalConnectionSettings(config)),
    connectTimeout: '5s',
    interceptors: [deadlineAwareRetryInterceptor()],
  };
  return new Client({ connection: Connection.lazy(options), namespace: config.namespace });
}

/** The native connection workers poll with. */
export async function connectWorkerConnection(config: TemporalConfig): Promise<NativeConnection> {
  const options: NativeConnectionOptions = await temporalConnectionSettings(config);
  return NativeConnection.connect(options);
}
