import path from 'node:path';
import { html } from 'hono/html';
import type { Db } from '../db/create-db.ts';
import { readFilePrefix } from '../files/file-prefix.ts';

const IMAGE_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  // An SVG shown through <img> is a picture only: it cannot run script or load anything.
  '.svg': 'image/svg+xml',
};
const TABLE_SEPARATORS: Record<string, string> = { '.csv': ',', '.tsv': '\t' };
const MAX_IMAGE_BYTES = 256 * 1024;
const MAX_TABLE_BYTES = 64 * 1024;
const TEXT_PREFIX_BYTES = 8 * 1024;
const TEXT_LINES = 12;
const TABLE_ROWS = 20;

export interface PreviewFile {
  id: string;
  name: string;
  size: number;
}

/** Text when the bytes are UTF-8 without NUL (binary files are not previewed); undefined otherwise. */
function asText(bytes: Uint8Array, cutAtEnd: boolean): string | undefined {
  // A multi-byte character cut by the prefix's end is dropped, not a reason to call the file binary.
  const whole = cutAtEnd ? bytes.subarray(0, Math.max(0, bytes.length - 3)) : bytes;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(whole);
    return text.includes('\u0000') ? undefined : text;
  } catch {
    return undefined;
  }
}

/** A small piece of a result shown on the status page: an image, the first rows of a table, or the first lines of text. */
export async function renderPreview(db: Db, file: PreviewFile) {
  const ending = path.extname(file.name).toLowerCase();
  const imageType = IMAGE_TYPES[ending];
  if (imageType) {
    if (file.size > MAX_IMAGE_BYTES || file.size === 0) return '';
    const bytes = await readFilePrefix(db, file.id, MAX_IMAGE_BYTES);
    return html`<img
      class="preview-image"
      src="data:${imageType};base64,${Buffer.from(bytes).toString('base64')}"
      alt="Preview of ${file.name}"
    />`;
  }
  const separator = TABLE_SEPARATORS[ending];
  if (separator && file.size <= MAX_TABLE_BYTES) {
    const text = asText(await readFilePrefix(db, file.id, MAX_TABLE_BYTES), false);
    if (text === undefined) return '';
    const rows = text
      .split(/\r?\n/)
      .filter((line) => line !== '')
      .slice(0, TABLE_ROWS + 1);
    const [head, ...body] = rows.map((line) => line.split(separator));
    if (!head) return '';
    return html`<div class="table-scroll">
      <table class="preview-table">
        <caption>
          ${file.name}: first rows
        </caption>
        <thead>
          <tr>
            ${head.map((cell) => html`<th scope="col">${cell}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${body.map(
            (row) =>
              html`<tr>
                ${row.map((cell) => html`<td>${cell}</td>`)}
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }
  const prefix = await readFilePrefix(db, file.id, TEXT_PREFIX_BYTES);
  const text = asText(prefix, file.size > prefix.length);
  if (text === undefined || text === '') return '';
  const lines = text.split('\n').slice(0, TEXT_LINES).join('\n');
  return html`<pre class="preview-text" tabindex="0" aria-label="First lines of ${file.name}">${lines}</pre>`;
}
