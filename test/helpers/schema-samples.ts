/** A JSON Schema as the dereferenced OpenAPI document gives it. */
export interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minimum?: number;
}

/** Where a string goes in a sample body: a value, or the key of a record entry. */
export interface StringSlot {
  path: (string | number)[];
  key: boolean;
}

/**
 * A body with every property filled (strings are `token`) and the list of places a string goes,
 * so a test can put a hostile string in each of them, including in fields added later.
 */
export function sampleBody(schema: Schema, token: string): { body: unknown; slots: StringSlot[] } {
  const slots: StringSlot[] = [];
  const fill = (s: Schema, path: (string | number)[]): unknown => {
    const branches = (s.anyOf ?? s.oneOf)?.filter((b) => b.type !== 'null');
    if (branches) return fill(branches.find((b) => b.type === 'string') ?? branches[0]!, path);
    if (s.allOf) return fill(Object.assign({}, ...s.allOf) as Schema, path);
    if (s.const !== undefined) return s.const;
    if (s.enum) return s.enum[0];
    const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
    if (type === 'string') {
      if (s.format === 'binary') return token;
      slots.push({ path, key: false });
      return s.format === 'email' ? `${token}@example.com` : token;
    }
    if (type === 'integer' || type === 'number') return s.minimum ?? 1;
    if (type === 'boolean') return true;
    if (type === 'array') return s.items ? [fill(s.items, [...path, 0])] : [];
    const out: Record<string, unknown> = {};
    for (const [name, property] of Object.entries(s.properties ?? {})) out[name] = fill(property, [...path, name]);
    if (s.additionalProperties && typeof s.additionalProperties === 'object') {
      slots.push({ path: [...path, token], key: true });
      out[token] = fill(s.additionalProperties, [...path, token]);
    }
    return out;
  };
  return { body: fill(schema, []), slots };
}

/** A copy of `body` with `value` at the slot (as the value, or as the record key). */
export function withValueAt(body: unknown, slot: StringSlot, value: string): unknown {
  const copy = structuredClone(body);
  const parent = slot.path.slice(0, -1).reduce<any>((node, key) => node[key], copy); // eslint-disable-line @typescript-eslint/no-explicit-any
  const last = slot.path.at(-1)!;
  if (slot.key) {
    parent[value] = parent[last];
    delete parent[last];
  } else parent[last] = value;
  return copy;
}

export interface Part {
  name: string | Buffer;
  value: string | Buffer;
  filename?: string | Buffer;
  /** An RFC 5987 file name, `filename*=UTF-8''<this>` (percent-encoded by the caller). */
  filenameStar?: string;
}

/** A multipart/form-data body written byte by byte, so names and file names can hold any bytes. */
export function multipartBody(parts: Part[]): { body: Buffer; contentType: string } {
  const boundary = 'hostile-boundary-7f3a';
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const isFile = part.filename !== undefined || part.filenameStar !== undefined;
    const filename = [
      ...(part.filename === undefined
        ? []
        : [Buffer.from('; filename="'), Buffer.from(part.filename), Buffer.from('"')]),
      ...(part.filenameStar === undefined ? [] : [Buffer.from(`; filename*=UTF-8''${part.filenameStar}`)]),
    ];
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="`),
      Buffer.from(part.name),
      Buffer.from('"'),
      ...filename,
      Buffer.from(isFile ? '\r\nContent-Type: application/octet-stream\r\n\r\n' : '\r\n\r\n'),
      Buffer.from(part.value),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
