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

/**
 * A client for the API and CLI; one per process, closed on shutdown. The connection is lazy so
 * the API starts, and answers /readyz with 503, while Temporal is still down.
 */
export async function createTemporalClient(config: TemporalConfig): Promise<Client> {
  const options: ConnectionOptions = {
    address: requireAddress(config),
    tls: await tlsOptions(config),
    apiKey: config.apiKey,
    connectTimeout: '5s',
  };
  return new Client({ connection: Connection.lazy(options), namespace: config.namespace });
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
