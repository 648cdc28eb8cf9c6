/** Reads UTF-8 text piece by piece and gives an answer; `settled` once more text cannot change it. */
export interface TextScanner {
  push(text: string): void;
  readonly settled: boolean;
  verdict(): boolean;
}

/** Decodes one more chunk (or the end, without one); null when the bytes are not UTF-8. */
function decodeNext(decoder: InstanceType<typeof TextDecoder>, chunk?: Uint8Array): string | null {
  try {
    return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
  } catch {
    return null;
  }
}

/**
 * Feeds a byte stream to a scanner as UTF-8 text, stopping as soon as the answer is settled.
 * Bytes that are not UTF-8 refuse (A_A crashed there; we just say no).
 */
export async function scanUtf8(chunks: AsyncIterable<Uint8Array>, scanner: TextScanner): Promise<boolean> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for await (const chunk of chunks) {
    const text = decodeNext(decoder, chunk);
    if (text === null) return false;
    scanner.push(text);
    if (scanner.settled) return scanner.verdict();
  }
  const rest = decodeNext(decoder);
  if (rest === null) return false;
  scanner.push(rest);
  return scanner.verdict();
}
