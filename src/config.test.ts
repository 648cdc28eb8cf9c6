import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { applyDevSettings, devSettingsPath, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('applies defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.http.port).toBe(3000);
    expect(config.temporal.namespace).toBe('default');
    expect(config.limits.queueHardLimit).toBeUndefined();
    expect(Object.isFrozen(config.http)).toBe(true);
  });

  it('names every malformed variable in one error', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', TEMPORAL_TLS: 'maybe' })).toThrow(
      /PORT[\s\S]*DATABASE_URL|DATABASE_URL[\s\S]*PORT/,
    );
    expect(() => loadConfig({ TEMPORAL_TLS: 'maybe' })).toThrow(/TEMPORAL_TLS/);
  });

  it('reads CORS_ORIGINS as a list of origins, none by default, and refuses a URL with a path', () => {
    expect(loadConfig({}).http.corsOrigins).toEqual([]);
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example.org, http://localhost:5173' }).http.corsOrigins).toEqual([
      'https://a.example.org',
      'http://localhost:5173',
    ]);
    expect(() => loadConfig({ CORS_ORIGINS: 'https://a.example.org/app' })).toThrow(/CORS_ORIGINS.*must be an origin/);
  });

  it('parses limits and booleans', () => {
    const config = loadConfig({ QUEUE_SOFT_LIMIT: '10', QUEUE_HARD_LIMIT: '15', TEMPORAL_TLS: 'true' });
    expect(config.limits).toMatchObject({ queueSoftLimit: 10, queueHardLimit: 15 });
    expect(config.temporal.tls).toBe(true);
  });

  it('allows anonymous submissions unless ALLOW_ANONYMOUS says false, as A_A did', () => {
    expect(loadConfig({}).allowAnonymous).toBe(true);
    expect(loadConfig({ ALLOW_ANONYMOUS: '' }).allowAnonymous).toBe(true);
    expect(loadConfig({ ALLOW_ANONYMOUS: 'false' }).allowAnonymous).toBe(false);
    expect(loadConfig({ ALLOW_ANONYMOUS: '0' }).allowAnonymous).toBe(false);
    expect(loadConfig({ ALLOW_ANONYMOUS: 'true' }).allowAnonymous).toBe(true);
    expect(() => loadConfig({ ALLOW_ANONYMOUS: 'nobody' })).toThrow(/ALLOW_ANONYMOUS/);
  });
});

describe('loadConfig for a real Temporal cluster', () => {
  it('leaves TLS off and the namespace at default when only an address is given', () => {
    const config = loadConfig({ TEMPORAL_ADDRESS: 'temporal.example.org:7233' });
    expect(config.temporal).toMatchObject({ address: 'temporal.example.org:7233', namespace: 'default', tls: false });
  });

  it('reads mTLS paths, server name, namespace and API key, and turns TLS on for them', () => {
    const config = loadConfig({
      TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233',
      TEMPORAL_NAMESPACE: 'ns.acct',
      TEMPORAL_TLS_CERT_PATH: '/certs/client.pem',
      TEMPORAL_TLS_KEY_PATH: '/certs/client.key',
      TEMPORAL_TLS_CA_PATH: '/certs/ca.pem',
      TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
    });
    expect(config.temporal).toEqual({
      address: 'ns.acct.tmprl.cloud:7233',
      namespace: 'ns.acct',
      uiUrl: undefined,
      orchestratorQueue: 'orchestrator',
      workflowBundlePath: undefined,
      tls: true,
      tlsCertPath: '/certs/client.pem',
      tlsKeyPath: '/certs/client.key',
      tlsCaPath: '/certs/ca.pem',
      tlsServerName: 'temporal.internal',
      apiKey: undefined,
    });
  });

  it('turns TLS on for an API key unless TEMPORAL_TLS says false', () => {
    expect(loadConfig({ TEMPORAL_API_KEY: 'key' }).temporal).toMatchObject({ tls: true, apiKey: 'key' });
    expect(loadConfig({ TEMPORAL_API_KEY: 'key', TEMPORAL_TLS: 'false' }).temporal).toMatchObject({
      tls: false,
      apiKey: 'key',
    });
    expect(loadConfig({ TEMPORAL_TLS: '1' }).temporal.tls).toBe(true);
  });

  it('refuses a client certificate without its key, and the other way round', () => {
    expect(() => loadConfig({ TEMPORAL_TLS_CERT_PATH: '/certs/client.pem' })).toThrow(
      /TEMPORAL_TLS_KEY_PATH: mTLS needs both/,
    );
    expect(() => loadConfig({ TEMPORAL_TLS_KEY_PATH: '/certs/client.key' })).toThrow(
      /TEMPORAL_TLS_CERT_PATH: mTLS needs both/,
    );
  });

  it('refuses TEMPORAL_TLS=false together with TLS settings', () => {
    expect(() => loadConfig({ TEMPORAL_TLS: 'false', TEMPORAL_TLS_CA_PATH: '/certs/ca.pem' })).toThrow(
      /TEMPORAL_TLS: is false but TEMPORAL_TLS_CA_PATH is set/,
    );
  });

  it('sizes the database pool and refuses a pool of zero', () => {
    expect(loadConfig({}).database.poolSize).toBe(10);
    expect(loadConfig({ DATABASE_POOL_SIZE: '25' }).database.poolSize).toBe(25);
    expect(() => loadConfig({ DATABASE_POOL_SIZE: '0' })).toThrow(/DATABASE_POOL_SIZE/);
  });

  it('takes an empty variable as unset, as a .env file or compose passes it', () => {
    const config = loadConfig({ SMTP_URL: '', TEMPORAL_TLS: '', DATABASE_POOL_SIZE: '', WORKFLOW_BUNDLE_PATH: '' });
    expect(config.mail.smtpUrl).toBeUndefined();
    expect(config.temporal.tls).toBe(false);
    expect(config.database.poolSize).toBe(10);
    expect(config.temporal.workflowBundlePath).toBeUndefined();
  });

  it('reads the prebuilt workflow bundle path', () => {
    expect(loadConfig({ WORKFLOW_BUNDLE_PATH: '/app/dist/workflow-bundle.js' }).temporal.workflowBundlePath).toBe(
      '/app/dist/workflow-bundle.js',
    );
  });
});

describe('loadConfig with the Temporal CLI variable names', () => {
  it('reads TEMPORAL_TLS_CLIENT_CERT_PATH, _CLIENT_KEY_PATH and _SERVER_CA_CERT_PATH', () => {
    const config = loadConfig({
      TEMPORAL_TLS_CLIENT_CERT_PATH: '/certs/client.pem',
      TEMPORAL_TLS_CLIENT_KEY_PATH: '/certs/client.key',
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: '/certs/ca.pem',
    });
    expect(config.temporal).toMatchObject({
      tls: true,
      tlsCertPath: '/certs/client.pem',
      tlsKeyPath: '/certs/client.key',
      tlsCaPath: '/certs/ca.pem',
    });
  });

  it('prefers our own name when both are set', () => {
    const config = loadConfig({ TEMPORAL_TLS_CA_PATH: '/ours.pem', TEMPORAL_TLS_SERVER_CA_CERT_PATH: '/cli.pem' });
    expect(config.temporal.tlsCaPath).toBe('/ours.pem');
  });
});

describe('applyDevSettings', () => {
  it('fills only unset DATABASE_URL and AA_URL from DATA_DIR/dev.env; set variables win', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'aa-dev-env-'));
    try {
      await writeFile(
        devSettingsPath(dir),
        'DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5/postgres\nAA_URL=http://localhost:5\nPORT=9\n',
      );
      const unset: NodeJS.ProcessEnv = { DATA_DIR: dir };
      applyDevSettings(unset);
      expect(unset).toEqual({
        DATA_DIR: dir,
        DATABASE_URL: 'postgres://postgres:postgres@127.0.0.1:5/postgres',
        AA_URL: 'http://localhost:5',
      });
      const set: NodeJS.ProcessEnv = { DATA_DIR: dir, DATABASE_URL: 'postgres://db.example/aa' };
      applyDevSettings(set);
      expect(set.DATABASE_URL).toBe('postgres://db.example/aa');
      expect(set.AA_URL).toBe('http://localhost:5');
      const elsewhere: NodeJS.ProcessEnv = { DATA_DIR: path.join(dir, 'none') };
      applyDevSettings(elsewhere);
      expect(elsewhere).toEqual({ DATA_DIR: path.join(dir, 'none') });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
