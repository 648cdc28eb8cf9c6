import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';

const optionalInt = z.coerce.number().int().positive().optional();

const EnvSchema = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
  DATABASE_CONNECT_TIMEOUT_SECONDS: z.coerce.number().int().min(1).default(5),
  DATABASE_QUERY_TIMEOUT_SECONDS: z.coerce.number().int().min(0).default(5),
  WORKER_DATABASE_QUERY_TIMEOUT_SECONDS: z.coerce.number().int().min(0).default(60),
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^\s:]+:\d+$/, 'expected host:port')
    .optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_UI_URL: z.url().optional(),
  ORCHESTRATOR_TASK_QUEUE: z.string().min(1).default('orchestrator'),
  WORKFLOW_BUNDLE_PATH: z.string().optional(),
  // Unset means "on when a certificate, CA, server name or API key is given"; set it to decide outright.
  TEMPORAL_TLS: z.stringbool().optional(),
  TEMPORAL_TLS_CERT_PATH: z.string().optional(),
  TEMPORAL_TLS_KEY_PATH: z.string().optional(),
  TEMPORAL_TLS_CA_PATH: z.string().optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().optional(),
  TEMPORAL_API_KEY: z.string().optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_URL: z.url().optional(),
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  // As A_A, anyone may submit; false makes POSTing a submission need an API key (any role).
  ALLOW_ANONYMOUS: z.stringbool().default(true),
  // Browser pages on these origins may call the API (comma-separated, e.g. https://lab.example.org); none by default.
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((text) =>
      text
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url().refine((url) => new URL(url).origin === url, 'must be an origin: scheme://host[:port]'))),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().default('.data'),
  WORK_DIR: z.string().optional(),
  // Where stored bytes live, by sha256; a mount every API and worker host shares (docs/deployment.md).
  FILE_STORE_DIR: z.string().optional(),
  VALIDATORS_DIR: z.string().optional(),
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  MAIL_FROM: z.string().default('analytics-automated <noreply@localhost>'),
  MAIL_SUBJECT_TEMPLATE: z.string().optional(),
  MAIL_BODY_TEMPLATE: z.string().optional(),
  MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(2 * 1024 ** 3),
  URL_INPUT_ALLOW_PRIVATE: z.stringbool().default(false),
  URL_INPUT_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(2 * 1024 ** 3),
  URL_INPUT_TIMEOUT_SECONDS: z.coerce.number().int().min(1).default(300),
  URL_INPUT_MAX_REDIRECTS: z.coerce.number().int().min(0).max(20).default(5),
  QUEUE_SOFT_LIMIT: optionalInt,
  QUEUE_HARD_LIMIT: optionalInt,
  RETENTION_DAYS: optionalInt,
  CANCEL_GRACE_SECONDS: z.coerce.number().min(0).default(10),
  WORKER_SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).default(30),
  // How often a slurm backend's worker asks Slurm about each of its jobs (scontrol answers in milliseconds).
  SLURM_POLL_MILLISECONDS: z.coerce.number().int().min(100).max(600_000).default(1000),
  DEV_POSTGRES_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  DEV_TEMPORAL_PORT: z.coerce.number().int().min(1).max(65535).default(7233),
  DEV_TEMPORAL_UI_PORT: z.coerce.number().int().min(1).max(65535).default(8233),
  HEARTBEAT_TIMEOUT_SECONDS: z.coerce.number().int().min(1).default(10),
  SCHEDULE_TO_START_TIMEOUT_SECONDS: z.coerce.number().int().min(1).default(600),
  AA_URL: z.url().default('http://localhost:3000'),
  AA_API_KEY: z.string().optional(),
  WORKER_METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  CRASH_SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(0).default(20),
  CRASH_SWEEP_GRACE_SECONDS: z.coerce.number().int().min(1).default(300),
  NO_COLOR: z.string().optional(),
});

/** Every variable the configuration reads (.env.example must list each one). */
export const CONFIG_VARIABLES = Object.keys(EnvSchema.shape);

// Combinations that would otherwise connect without the security the operator asked for.
const CheckedEnvSchema = EnvSchema.superRefine((e, ctx) => {
  const pair = [e.TEMPORAL_TLS_CERT_PATH, e.TEMPORAL_TLS_KEY_PATH];
  if (pair.some(Boolean) && !pair.every(Boolean)) {
    const missing = e.TEMPORAL_TLS_CERT_PATH ? 'TEMPORAL_TLS_KEY_PATH' : 'TEMPORAL_TLS_CERT_PATH';
    ctx.addIssue({
      code: 'custom',
      path: [missing],
      message: 'mTLS needs both TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH',
    });
  }
  const tlsSettings = [
    'TEMPORAL_TLS_CERT_PATH',
    'TEMPORAL_TLS_KEY_PATH',
    'TEMPORAL_TLS_CA_PATH',
    'TEMPORAL_TLS_SERVER_NAME',
  ] as const;
  const given = tlsSettings.filter((key) => e[key]);
  if (e.TEMPORAL_TLS === false && given.length > 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['TEMPORAL_TLS'],
      message: `is false but ${given.join(', ')} ${given.length > 1 ? 'are' : 'is'} set`,
    });
  }
});

export type Config = ReturnType<typeof loadConfig>;

export class ConfigError extends Error {}

// The Temporal CLI's and SDK envconfig's names, so one env file serves both; ours win when both are set.
const TEMPORAL_ENV_ALIASES = {
  TEMPORAL_TLS_CLIENT_CERT_PATH: 'TEMPORAL_TLS_CERT_PATH',
  TEMPORAL_TLS_CLIENT_KEY_PATH: 'TEMPORAL_TLS_KEY_PATH',
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: 'TEMPORAL_TLS_CA_PATH',
} as const;

/** Reads the environment once at start-up; every bad variable is named in one error. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  // An empty value (`SMTP_URL=` in a .env file or compose) means unset, not an invalid URL.
  const given: Record<string, string | undefined> = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== ''),
  );
  for (const [alias, name] of Object.entries(TEMPORAL_ENV_ALIASES)) given[name] ??= given[alias];
  const parsed = CheckedEnvSchema.safeParse(given);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return deepFreeze({
    database: {
      url: e.DATABASE_URL,
      poolSize: e.DATABASE_POOL_SIZE,
      connectTimeoutSeconds: e.DATABASE_CONNECT_TIMEOUT_SECONDS,
      queryTimeoutSeconds: e.DATABASE_QUERY_TIMEOUT_SECONDS,
      workerQueryTimeoutSeconds: e.WORKER_DATABASE_QUERY_TIMEOUT_SECONDS,
    },
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      uiUrl: e.TEMPORAL_UI_URL,
      orchestratorQueue: e.ORCHESTRATOR_TASK_QUEUE,
      workflowBundlePath: e.WORKFLOW_BUNDLE_PATH,
      tls:
        e.TEMPORAL_TLS ??
        Boolean(e.TEMPORAL_TLS_CERT_PATH || e.TEMPORAL_TLS_CA_PATH || e.TEMPORAL_TLS_SERVER_NAME || e.TEMPORAL_API_KEY),
      tlsCertPath: e.TEMPORAL_TLS_CERT_PATH,
      tlsKeyPath: e.TEMPORAL_TLS_KEY_PATH,
      tlsCaPath: e.TEMPORAL_TLS_CA_PATH,
      tlsServerName: e.TEMPORAL_TLS_SERVER_NAME,
      apiKey: e.TEMPORAL_API_KEY,
    },
    http: {
      port: e.PORT,
      host: e.HOST,
      publicUrl: e.PUBLIC_URL ?? `http://localhost:${e.PORT}`,
      corsOrigins: e.CORS_ORIGINS,
    },
    adminToken: e.ADMIN_TOKEN,
    allowAnonymous: e.ALLOW_ANONYMOUS,
    logLevel: e.LOG_LEVEL,
    dataDir: e.DATA_DIR,
    workDir: e.WORK_DIR,
    fileStoreDir: path.resolve(e.FILE_STORE_DIR ?? path.join(e.DATA_DIR, 'files')),
    validatorsDir: e.VALIDATORS_DIR,
    mail: {
      smtpUrl: e.SMTP_URL,
      from: e.MAIL_FROM,
      subjectTemplate: e.MAIL_SUBJECT_TEMPLATE,
      bodyTemplate: e.MAIL_BODY_TEMPLATE,
    },
    limits: {
      maxUploadBytes: e.MAX_UPLOAD_BYTES,
      queueSoftLimit: e.QUEUE_SOFT_LIMIT,
      queueHardLimit: e.QUEUE_HARD_LIMIT,
    },
    retentionDays: e.RETENTION_DAYS,
    urlInputs: {
      allowPrivate: e.URL_INPUT_ALLOW_PRIVATE,
      maxBytes: e.URL_INPUT_MAX_BYTES,
      timeoutSeconds: e.URL_INPUT_TIMEOUT_SECONDS,
      maxRedirects: e.URL_INPUT_MAX_REDIRECTS,
    },
    workerMetricsPort: e.WORKER_METRICS_PORT,
    dev: {
      postgresPort: e.DEV_POSTGRES_PORT,
      temporalPort: e.DEV_TEMPORAL_PORT,
      temporalUiPort: e.DEV_TEMPORAL_UI_PORT,
    },
    execution: {
      cancelGraceSeconds: e.CANCEL_GRACE_SECONDS,
      workerShutdownGraceSeconds: e.WORKER_SHUTDOWN_GRACE_SECONDS,
      slurmPollMilliseconds: e.SLURM_POLL_MILLISECONDS,
      heartbeatTimeoutSeconds: e.HEARTBEAT_TIMEOUT_SECONDS,
      scheduleToStartTimeoutSeconds: e.SCHEDULE_TO_START_TIMEOUT_SECONDS,
    },
    crashSweep: { intervalSeconds: e.CRASH_SWEEP_INTERVAL_SECONDS, graceSeconds: e.CRASH_SWEEP_GRACE_SECONDS },
    cli: { url: e.AA_URL, apiKey: e.AA_API_KEY, color: !e.NO_COLOR },
  });
}

/** What a running `aa dev` tells the CLI in another terminal: where its database and API are. */
export const DEV_SETTINGS = ['DATABASE_URL', 'AA_URL'] as const;

/** `aa dev` writes its settings here while it runs (DATA_DIR, default `.data`). */
export function devSettingsPath(dataDir: string): string {
  return path.join(dataDir, 'dev.env');
}

/**
 * Fills DEV_SETTINGS that are unset in `env` from the file a running `aa dev` wrote, so
 * `aa keys create` works in a second terminal with nothing exported; a variable already set wins.
 * Called by the CLI entry only, before any command loads its configuration.
 */
export function applyDevSettings(env: NodeJS.ProcessEnv = process.env): void {
  let text: string;
  try {
    text = readFileSync(devSettingsPath(env.DATA_DIR || '.data'), 'utf8');
  } catch {
    return; // no `aa dev` running here
  }
  const written = parseEnv(text);
  for (const name of DEV_SETTINGS) if (!env[name] && written[name]) env[name] = written[name];
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (child && typeof child === 'object') deepFreeze(child);
  }
  return Object.freeze(value);
}
