import SwaggerParser from '@apidevtools/swagger-parser';
import { sql } from 'kysely';
import { createTestKey } from '../helpers/api-keys.ts';
import { multipartBody, sampleBody, withValueAt, type Part, type Schema } from '../helpers/schema-samples.ts';
import { seedBackend, seedJob, seedTask } from '../helpers/seed-config.ts';
import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';
import { uniqueName } from '../helpers/test-stack.ts';

// Each hostile string, and its bytes as they would be percent-encoded in a URL.
const HOSTILE = [
  { label: 'a NUL', text: 'a\u0000b', url: 'a%00b' },
  { label: 'a lone low surrogate', text: '\udcff', url: '%ED%B3%BF' },
  { label: 'a lone high surrogate', text: 'x\ud800', url: 'x%ED%A0%80' },
];
// A byte that is never UTF-8, for raw bodies.
const BAD_BYTE = Buffer.from([0xff]);
// Every hostile request's strings contain it, so "nothing stored" can be checked across all tables.
const token = uniqueName('hx').replace('-', '');
// The configuration the requests aim at, so that a request let through would store something.
const seed = uniqueName('hseed');

interface Operation {
  method: string;
  path: string;
  parameters: { name: string; in: string }[];
  content: Record<string, { schema: Schema }>;
}

let t: TestApp;
let key: string;
let operations: Operation[];
const job = `${seed}-job`;

beforeAll(async () => {
  t = await createTestApp();
  key = await createTestKey(t.db, 'admin');
  const backend = `${seed}-be`;
  await seedBackend(t.db, backend, `backend.${backend}`);
  await seedTask(t.db, {
    name: `${seed}-task`,
    backend,
    executable: 'echo $P1',
    parameters: [{ alias: 'label', type: 'string', flag: '-l' }],
  });
  await seedJob(t.db, job, [{ task: `${seed}-task`, ordering: 0 }]);
  const doc = await SwaggerParser.dereference(await readJson(await t.app.request('/openapi.json')));
  operations = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    ['get', 'put', 'post', 'delete', 'patch'].flatMap((method) => {
      const op = (item as Record<string, any>)[method]; // eslint-disable-line @typescript-eslint/no-explicit-any
      return op ? [{ method, path, parameters: op.parameters ?? [], content: op.requestBody?.content ?? {} }] : [];
    }),
  );
});

afterAll(() => t.close());

/** The path with every parameter filled, `hostile` (already URL-encoded) in the one named. */
function fillPath(op: Operation, hostileParam?: string, hostile?: string): string {
  return op.path.replace(/\{(\w+)\}/g, (_, name: string) =>
    name === hostileParam ? hostile! : name === 'name' ? job : name === 'id' ? '1' : `${token}x`,
  );
}

function send(method: string, path: string, body?: string | Buffer, contentType?: string) {
  const headers: Record<string, string> = { Authorization: `Bearer ${key}` };
  if (contentType) headers['Content-Type'] = contentType;
  return t.app.request(path, { method: method.toUpperCase(), headers, body });
}

async function expectInvalidText(res: Response, field?: string) {
  const body = await readJson(res);
  expect({ status: res.status, code: body.error?.code }).toEqual({ status: 422, code: 'invalid_text' });
  if (field !== undefined) expect(body.error.details[0].path).toBe(field);
}

/** The tables with a row that holds the hostile requests' token: none, when every one was refused. */
async function rowsHoldingToken(): Promise<string[]> {
  const { rows: tables } = await sql<{ name: string }>`select table_name as name from information_schema.tables
    where table_schema = 'public'`.execute(t.db);
  const found: string[] = [];
  for (const { name } of tables) {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(name)} as r
      where r::text like ${`%${token}%`}`.execute(t.db);
    if (rows[0]!.n > 0) found.push(name);
  }
  return found;
}

describe('malformed text anywhere in a request', () => {
  it('is refused in every path parameter and query parameter of the OpenAPI document', async () => {
    const withParams = operations.filter((op) => op.parameters.length > 0);
    expect(withParams.length).toBeGreaterThan(10);
    for (const op of withParams) {
      for (const { url } of HOSTILE) {
        for (const param of op.parameters) {
          const target =
            param.in === 'path'
              ? fillPath(op, param.name, url)
              : param.in === 'query'
                ? `${fillPath(op)}?${param.name}=${url}`
                : null;
          if (!target) continue;
          const res = await send(op.method, target);
          expect({ op: `${op.method} ${target}`, status: res.status }).toEqual({
            op: `${op.method} ${target}`,
            status: 422,
          });
          await expectInvalidText(res, param.in === 'path' ? 'path' : `query.${param.name}`);
        }
      }
    }
  });

  it('is refused in every string of every JSON body, naming the field', async () => {
    const withJson = operations.filter((op) => op.content['application/json']);
    expect(withJson.map((op) => `${op.method} ${op.path}`)).toEqual(
      expect.arrayContaining([
        'post /api/v1/jobs/{name}/submissions',
        'put /api/v1/config',
        'put /api/v1/tasks/{name}',
      ]),
    );
    for (const op of withJson) {
      const { body, slots } = sampleBody(op.content['application/json']!.schema, token);
      for (const slot of slots) {
        for (const { text } of HOSTILE) {
          const res = await send(
            op.method,
            fillPath(op),
            JSON.stringify(withValueAt(body, slot, text)),
            'application/json',
          );
          const where = `${op.method} ${op.path} ${slot.path.join('.')}`;
          const answer = await readJson(res);
          expect({ where, status: res.status, code: answer.error?.code }).toEqual({
            where,
            status: 422,
            code: 'invalid_text',
          });
          const expected = slot.key ? [...slot.path.slice(0, -1), text].join('.') : slot.path.join('.');
          expect({ where, field: answer.error.details[0].path }).toEqual({ where, field: expected });
        }
      }
    }
    expect(await rowsHoldingToken()).toEqual([]);
  });

  it('is refused when a JSON or YAML body holds bytes that are not UTF-8', async () => {
    for (const op of operations) {
      for (const type of Object.keys(op.content).filter((c) => c === 'application/json' || c.includes('yaml'))) {
        const text =
          type === 'application/json' ? JSON.stringify({ description: `${token}MARK` }) : `description: ${token}MARK\n`;
        const [before, after] = text.split('MARK');
        const res = await send(
          op.method,
          fillPath(op),
          Buffer.concat([Buffer.from(before!), BAD_BYTE, Buffer.from(after!)]),
          type,
        );
        expect({ op: `${op.method} ${op.path} ${type}`, status: res.status }).toEqual({
          op: `${op.method} ${op.path} ${type}`,
          status: 422,
        });
        await expectInvalidText(res, 'body');
      }
    }
    expect(await rowsHoldingToken()).toEqual([]);
  });

  it('is refused in YAML configuration and A_A dumps, written as escapes', async () => {
    const yamlOps = operations.filter((op) => Object.keys(op.content).some((c) => c.includes('yaml')));
    expect(yamlOps.length).toBeGreaterThanOrEqual(2);
    for (const op of yamlOps) {
      for (const escape of ['\\0', '\\udcff', '\\ud800']) {
        const yaml =
          op.path === '/api/v1/config'
            ? `backends:\n  - name: ${token}-y\n    description: "${token}${escape}"\n`
            : `- model: analysis.backend\n  pk: 1\n  fields:\n    name: "${token}${escape}"\n`;
        const res = await send(op.method, op.path, yaml, 'application/yaml');
        await expectInvalidText(res, op.path === '/api/v1/config' ? 'backends.0.description' : '0.fields.name');
      }
    }
    expect(await rowsHoldingToken()).toEqual([]);
  });
});

describe('malformed text in a multipart submission', () => {
  const valid: Part[] = [
    { name: 'submission_name', value: `${token} run` },
    { name: 'email', value: `${token}@example.com` },
    { name: `${seed}-task_label`, value: `${token} label` },
    { name: 'input_data', value: 'hello\n', filename: `${token}.txt` },
  ];
  const post = (parts: Part[], path = `/api/v1/jobs/${job}/submissions`) => {
    const { body, contentType } = multipartBody(parts);
    return send('post', path, body, contentType);
  };
  const replaced = (index: number, change: Partial<Part>) =>
    valid.map((p, i) => (i === index ? { ...p, ...change } : p));

  it('refuses NUL or non-UTF-8 bytes in each field value, field name and file name, naming it', async () => {
    const nul = Buffer.from(`${token}\u0000x`);
    const notUtf8 = Buffer.concat([Buffer.from(token), BAD_BYTE]);
    for (const [index, part] of valid.entries()) {
      const isFile = part.filename !== undefined;
      const where = isFile ? `${String(part.name)}.filename` : String(part.name);
      // A raw NUL cannot appear in a part header, so a file name carries it percent-encoded (RFC 5987).
      const changes: Partial<Part>[] = isFile
        ? [{ filename: undefined, filenameStar: `${token}%00x` }, { filename: notUtf8 }]
        : [{ value: nul }, { value: notUtf8 }];
      for (const change of changes) {
        const res = await post(replaced(index, change));
        expect({ where, status: res.status }).toEqual({ where, status: 422 });
        await expectInvalidText(res, where);
      }
    }
    const badName = await post([...valid, { name: Buffer.concat([Buffer.from('x'), BAD_BYTE]), value: 'v' }]);
    await expectInvalidText(badName);
    expect(await rowsHoldingToken()).toEqual([]);
  });

  it('answers 400 bad_request for a raw NUL inside a part header, which makes the header malformed', async () => {
    const res = await post(replaced(3, { filename: Buffer.from(`${token}\u0000x`) }));
    expect({ status: res.status, code: (await readJson(res)).error.code }).toEqual({
      status: 400,
      code: 'bad_request',
    });
    expect(await rowsHoldingToken()).toEqual([]);
  });

  it('keeps UTF-8 names and values intact, with or without a declared charset', async () => {
    const ok = uniqueName('ok');
    const parts: Part[] = [
      { name: 'submission_name', value: `${ok} été` },
      { name: `${seed}-task_label`, value: '日本語 ünïcode' },
      { name: 'input_data', value: 'hello\n', filename: `${ok}-données.txt` },
    ];
    const res = await post(parts);
    expect(res.status).toBe(201);
    const { id } = await readJson(res);
    const row = await t.db.selectFrom('submissions').select('name').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.name).toBe(`${ok} été`);
    const files = await t.db.selectFrom('stored_files').select('name').where('submission_id', '=', id).execute();
    expect(files.map((f) => f.name)).toContain(`${ok}-données.txt`);
  });

  it('refuses an input_data part with an empty file name, or sent as a plain field', async () => {
    for (const change of [{ filename: '' }, { filename: undefined }]) {
      const res = await post(replaced(3, change));
      const body = await readJson(res);
      expect({ status: res.status, code: body.error.code, field: body.error.details[0].path }).toEqual({
        status: 422,
        code: 'invalid_body',
        field: 'input_data',
      });
    }
    expect(await rowsHoldingToken()).toEqual([]);
  });
});

describe('malformed text sent to the A_A facade', () => {
  const facadeFields = (name: string | Buffer): Part[] => [
    { name: 'job', value: job },
    { name: 'submission_name', value: name },
    { name: 'email', value: '' },
    { name: 'input_data', value: 'hello\n', filename: `${token}.txt` },
  ];

  async function expectAaInvalidText(res: Response, field: string) {
    const body = await readJson(res);
    expect({ status: res.status, code: body.code, fields: Object.keys(body.error ?? {}) }).toEqual({
      status: 400,
      code: 'invalid_text',
      fields: [field],
    });
  }

  it('answers a Django form error with code invalid_text for multipart and form-urlencoded fields', async () => {
    for (const bad of [Buffer.from(`${token}\u0000`), Buffer.concat([Buffer.from(token), BAD_BYTE])]) {
      const { body, contentType } = multipartBody(facadeFields(bad));
      await expectAaInvalidText(
        await send('post', '/analytics_automated/submission/', body, contentType),
        'submission_name',
      );
    }
    for (const encoded of HOSTILE.map((h) => h.url)) {
      const form = `job=${job}&submission_name=${token}${encoded}&email=`;
      const res = await send('post', '/analytics_automated/submission/', form, 'application/x-www-form-urlencoded');
      await expectAaInvalidText(res, 'submission_name');
    }
    expect(await rowsHoldingToken()).toEqual([]);
  });

  it('answers the same for a malformed path or query', async () => {
    for (const { url } of HOSTILE) {
      await expectAaInvalidText(await send('get', `/analytics_automated/submission/${url}`), 'path');
      await expectAaInvalidText(await send('get', `/analytics_automated/endpoints/?format=${url}`), 'query.format');
    }
  });
});
