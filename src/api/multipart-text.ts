import { textProblem } from '../domain/well-formed-text.ts';

/**
 * busboy decodes field values, field names and file names with a charset. Parts that declare
 * none are decoded as latin1, which keeps every byte (0x00-0xFF onto U+0000-U+00FF), so the bytes
 * are decoded here strictly as UTF-8 rather than turned into U+FFFD. Text a part decoded from a
 * charset it declared (`charset=utf-8`, `filename*=UTF-8''…`) is kept as busboy decoded it; our
 * busboy patch reports which case a part is (patches/busboy+1.6.0.patch).
 */
export const RAW_CHARSET = 'latin1';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export type MultipartText = { text: string } | { problem: string };

/** The text of a name or value, from its bytes (`raw`) or as its declared charset decoded it. */
export function multipartText(decoded: string, raw = true): MultipartText {
  let text = decoded;
  // eslint-disable-next-line no-control-regex
  if (raw && /[^\u0000-\u007f]/.test(decoded)) {
    try {
      text = utf8.decode(Buffer.from(decoded, 'latin1'));
    } catch {
      return { problem: 'is not valid UTF-8' };
    }
  }
  const problem = textProblem(text);
  return problem ? { problem } : { text };
}

/** What our busboy patch adds to a part's info: whether its text came from a declared charset. */
export function isRawField(info: object): boolean {
  return (info as { charset?: unknown }).charset === RAW_CHARSET;
}

export function isRawFilename(info: object): boolean {
  return (info as { filenameExtended?: unknown }).filenameExtended !== true;
}
