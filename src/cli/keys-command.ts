import { parseArgs } from 'node:util';
import { Role } from '../auth/api-key-schemas.ts';
import { createApiKey, listApiKeys, revokeApiKey } from '../auth/api-key-service.ts';
import { NAME_PATTERN } from '../catalog/names.ts';
import { loadConfig } from '../config.ts';
import { createDb, type Db } from '../db/create-db.ts';
import type { RunCommand } from './command.ts';

const HELP = `Usage: aa keys <create|list|revoke> (works on DATABASE_URL directly)

  aa keys create --role admin|submitter [--name NAME] [--description TEXT]
                   prints the new key on stdout, once; it is stored only as a hash
  aa keys list     every key with its id, prefix, role, owner and state
  aa keys revoke ID`;

async function create(db: Db, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { role: { type: 'string' }, name: { type: 'string' }, description: { type: 'string' } },
  });
  const role = Role.safeParse(values.role);
  if (!role.success) {
    console.error('aa keys create: --role must be admin or submitter');
    return 2;
  }
  if (values.name !== undefined && !NAME_PATTERN.test(values.name)) {
    console.error('aa keys create: --name must be 1-64 letters, digits, "_", "." or "-"');
    return 2;
  }
  const created = await createApiKey(db, { role: role.data, name: values.name, description: values.description });
  console.error(`Created ${created.role} key ${created.id} for "${created.name}". Keep it now: it is not shown again.`);
  console.log(created.key);
  return 0;
}

async function list(db: Db): Promise<number> {
  const keys = await listApiKeys(db);
  console.log(['id', 'prefix', 'role', 'name', 'created', 'last used', 'revoked'].join('\t'));
  for (const k of keys) {
    console.log([k.id, k.prefix, k.role, k.name, k.createdAt, k.lastUsedAt ?? '-', k.revokedAt ?? '-'].join('\t'));
  }
  return 0;
}

async function revoke(db: Db, args: string[]): Promise<number> {
  const id = Number(args[0]);
  if (!Number.isInteger(id) || id <= 0) {
    console.error('aa keys revoke: give the numeric key id (see aa keys list)');
    return 2;
  }
  if (!(await revokeApiKey(db, id))) {
    console.error(`aa keys revoke: no key ${id}`);
    return 1;
  }
  console.log(`revoked key ${id}`);
  return 0;
}

export const run: RunCommand = async (args) => {
  const [action, ...rest] = args;
  if (!action || action === '--help' || !['create', 'list', 'revoke'].includes(action)) {
    console.log(HELP);
    return action === '--help' ? 0 : 2;
  }
  const config = loadConfig();
  if (!config.database.url) throw new Error('DATABASE_URL is not set');
  const db = createDb({ url: config.database.url, poolSize: 1 });
  try {
    if (action === 'create') return await create(db, rest);
    if (action === 'list') return await list(db);
    return await revoke(db, rest);
  } finally {
    await db.destroy();
  }
};
