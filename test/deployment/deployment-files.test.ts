import { constants } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { API_NODE_FLAGS } from '../../src/cli/node-flags.ts';
import { devServerArgs } from '../../src/dev/temporal-dev-server.ts';
import { CONFIG_VARIABLES } from '../../src/config.ts';
import { PROJECT_ROOT } from '../../src/project-paths.ts';
import { SEARCH_ATTRIBUTES } from '../../src/temporal/search-attributes.ts';

// The project rules that hadolint and `docker compose config` (scripts/check-deployment.sh) do not know.

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  restart?: string;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string>;
  volumes?: string[];
}

const read = (file: string) => readFile(path.join(PROJECT_ROOT, file), 'utf8');
let composeText: string;
let services: Record<string, ComposeService>;
let envExample: string;
let dockerfile: string;

const ONE_SHOTS = ['temporal-schema', 'temporal-namespace', 'migrate'];
const APP_ROLES: Record<string, string[]> = {
  migrate: ['migrate'],
  api: ['api'],
  orchestrator: ['worker', '--orchestrator'],
  'worker-local': ['worker', '--backend', 'local'],
  'worker-python': ['worker', '--backend', 'python'],
};

/** The names of the variables in `KEY=value` and `# KEY=value` lines. */
function listedVariables(text: string): Set<string> {
  return new Set([...text.matchAll(/^#? ?([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!));
}

beforeAll(async () => {
  [composeText, envExample, dockerfile] = await Promise.all([
    read('docker-compose.yml'),
    read('.env.example'),
    read('Dockerfile'),
  ]);
  services = parse(composeText, { merge: true }).services;
});

describe('docker-compose.yml', () => {
  it('runs every role of the app from the one image with its own command', () => {
    for (const [name, command] of Object.entries(APP_ROLES)) {
      expect([name, services[name]?.command?.slice(0, command.length)]).toEqual([name, command]);
    }
    expect(services.api?.image).toBe(services.orchestrator?.image);
    expect(services['worker-local']?.image).toBe(services.api?.image);
  });

  it('restarts long-running services and lets one-shots stop once they succeed', () => {
    for (const [name, service] of Object.entries(services)) {
      if (ONE_SHOTS.includes(name))
        expect([name, service.restart]).toEqual([name, expect.stringMatching(/^on-failure/)]);
      else expect([name, service.restart]).toEqual([name, 'unless-stopped']);
    }
  });

  it('gives a health check to every service another one waits on being healthy, and probes the API at /readyz', () => {
    for (const service of Object.values(services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        if (condition === 'service_healthy')
          expect([dependency, services[dependency]?.healthcheck]).toEqual([dependency, expect.anything()]);
        if (condition === 'service_completed_successfully') expect(ONE_SHOTS).toContain(dependency);
      }
    }
    expect(services.api?.healthcheck?.test.join(' ')).toContain('/readyz');
  });

  it('runs the API with the Node flags it is tuned for', () => {
    expect(services.api?.environment?.NODE_OPTIONS?.split(' ')).toEqual(API_NODE_FLAGS);
  });

  it('starts the app only after migrations and the Temporal namespace are in place', () => {
    for (const name of ['api', 'orchestrator', 'worker-local']) {
      expect(services[name]?.depends_on).toMatchObject({
        migrate: { condition: 'service_completed_successfully' },
        'temporal-namespace': { condition: 'service_completed_successfully' },
      });
    }
  });

  it('registers exactly the search attributes the workflow sets', () => {
    const registered = services['temporal-namespace']?.environment?.AA_SEARCH_ATTRIBUTES?.split(',');
    expect(registered?.sort()).toEqual(SEARCH_ATTRIBUTES.map((key) => `${key.name}=Keyword`).sort());
  });

  it('gives the compose Temporal server every dynamic config value the dev server runs with (fairness matcher)', async () => {
    const args = devServerArgs({ port: 7233, uiPort: null, dbFile: null });
    const devValues = args.flatMap((arg, i) => (arg === '--dynamic-config-value' ? [args[i + 1]!] : []));
    expect(devValues).toContain('matching.enableFairness=true');
    const mountedDir = services.temporal?.volumes?.find((v) => v.includes('dynamicconfig'))?.split(':')[0];
    const file = services.temporal?.environment?.DYNAMIC_CONFIG_FILE_PATH?.split('/').pop();
    const composeConfig = parse(await read(path.join(mountedDir!, file!))) as Record<string, { value: unknown }[]>;
    for (const entry of devValues) {
      const [key, value] = entry.split('=') as [string, string];
      expect([key, composeConfig[key]?.[0]?.value]).toEqual([key, JSON.parse(value)]);
    }
  });

  it('keeps data in named volumes, not host folders', () => {
    const dataMounts = Object.values(services)
      .flatMap((s) => s.volumes ?? [])
      .filter((v) => !v.endsWith(':ro'));
    expect(dataMounts.length).toBeGreaterThan(0);
    for (const mount of dataMounts) expect(mount).toMatch(/^[a-z][a-z0-9-]*:\//);
  });

  it('writes no secret into the file: every password, token and key comes from the environment', () => {
    const secretLines = composeText
      .split('\n')
      .filter((line) => /^\s*[A-Z_]*(PASSWORD|PWD|TOKEN|SECRET|API_KEY):/.test(line));
    expect(secretLines.length).toBeGreaterThan(0);
    for (const line of secretLines) expect(line).toMatch(/:\s*\$\{[A-Z_]+(:\?[^}]*|:-)?\}\s*$/);
    expect(composeText).toMatch(/DATABASE_URL: postgres:\/\/\$\{AA_DB_USER:-aa\}:\$\{AA_DB_PASSWORD:\?/);
  });

  it('mounts scripts that exist and can run', async () => {
    const mounted = Object.values(services)
      .flatMap((s) => s.volumes ?? [])
      .filter((v) => v.startsWith('./') && v.endsWith('.sh:ro'))
      .map((v) => v.split(':')[0]!);
    expect(mounted.length).toBe(3);
    for (const script of mounted)
      await expect(access(path.join(PROJECT_ROOT, script), constants.X_OK)).resolves.toBeUndefined();
  });
});

describe('.env.example', () => {
  it('lists every variable the compose file reads', () => {
    const used = new Set([...composeText.matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]!));
    const listed = listedVariables(envExample);
    expect([...used].filter((name) => !listed.has(name))).toEqual([]);
  });

  it('lists every variable the app configuration reads', () => {
    const listed = listedVariables(envExample);
    expect(CONFIG_VARIABLES.filter((name) => !listed.has(name))).toEqual([]);
  });

  it('holds placeholders, never real secrets', () => {
    for (const [, name, value] of envExample.matchAll(/^([A-Z_]*(?:PASSWORD|TOKEN))=(.*)$/gm)) {
      expect([name, value]).toEqual([name, expect.stringMatching(/^change-me/)]);
    }
  });
});

describe('Dockerfile', () => {
  const stages = () => [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]!);

  it('builds on the Node version the repo pins, by exact version', async () => {
    const lock = JSON.parse(await read('package-lock.json'));
    const nodeVersion: string = lock.packages['node_modules/node'].version;
    const external = stages().filter((image) => image.includes(':'));
    expect(external.length).toBeGreaterThan(0);
    for (const image of external) expect(image).toBe(`node:${nodeVersion}-bookworm-slim`);
  });

  it('installs the locked production dependencies only, patched, and prebuilds the workflow bundle', async () => {
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    // --ignore-scripts skips the postinstall, so the image must apply patches/ itself.
    expect(dockerfile).toMatch(/^COPY patches \.\/patches$/m);
    expect(dockerfile).toMatch(/patch-package --error-on-fail/);
    expect(await read('.dockerignore')).toMatch(/^!patches\/$/m);
    expect(dockerfile).toMatch(/RUN node scripts\/bundle-workflows\.ts (\S+)/);
    expect(dockerfile).toMatch(/WORKFLOW_BUNDLE_PATH=\/app\/dist\/workflow-bundle\.js/);
  });

  it('runs as a non-root numeric user under tini', () => {
    const users = [...dockerfile.matchAll(/^USER (\S+)/gm)].map((m) => m[1]!);
    expect(users.at(-1)).toMatch(/^[1-9]\d*(:\d+)?$/);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["\/usr\/bin\/tini", "--", "node"/m);
  });

  it('fetches nothing with ADD', async () => {
    const python = await read('docker/backend-python.Dockerfile');
    for (const text of [dockerfile, python]) expect(text).not.toMatch(/^ADD /m);
  });

  it('keeps secrets and local data out of the build context', async () => {
    const ignore = await read('.dockerignore');
    expect(ignore.split('\n')[1]).toBe('*');
    expect(ignore).not.toMatch(/^!\.env/m);
    expect(ignore).not.toMatch(/^!\.data/m);
  });
});
