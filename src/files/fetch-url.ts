import { createWriteStream } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { checkedLookup, urlProblem } from './url-address-policy.ts';

export interface FetchLimits {
  allowPrivate: boolean;
  maxBytes: number;
  timeoutSeconds: number;
  maxRedirects: number;
}

/** A download refused or broken for a reason the submitter can act on: it ends the step `error`. */
export class UrlFetchError extends Error {}

/**
 * Downloads a URL to a file within the limits: size (counted as it streams, whatever the server
 * declares), total time, and redirects, each hop's address checked after DNS resolution by the
 * lookup the connection itself uses. Returns the URL finally read.
 */
export async function fetchUrlToFile(url: string, target: string, limits: FetchLimits, signal: AbortSignal) {
  const deadline = AbortSignal.any([signal, AbortSignal.timeout(limits.timeoutSeconds * 1000)]);
  let current = url;
  for (let hop = 0; ; hop++) {
    const problem = urlProblem(current);
    if (problem) throw new UrlFetchError(`The input URL ${problem}`);
    const response = await request(current, limits, deadline).catch((err: unknown) => {
      throw fetchFailure(err, deadline, signal, limits);
    });
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400 && response.headers.location) {
      response.resume();
      if (hop >= limits.maxRedirects)
        throw new UrlFetchError(
          `The input URL redirected more than URL_INPUT_MAX_REDIRECTS (${limits.maxRedirects}) times`,
        );
      current = new URL(response.headers.location, current).toString();
      continue;
    }
    if (status !== 200) {
      response.resume();
      throw new UrlFetchError(`Fetching the input URL answered HTTP ${status}`);
    }
    const declared = Number(response.headers['content-length'] ?? NaN);
    if (declared > limits.maxBytes) {
      response.destroy();
      throw tooLarge(limits.maxBytes);
    }
    let size = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        done(size > limits.maxBytes ? tooLarge(limits.maxBytes) : null, chunk);
      },
    });
    await pipeline(response, counter, createWriteStream(target), { signal: deadline }).catch((err: unknown) => {
      throw fetchFailure(err, deadline, signal, limits);
    });
    return { url: current, size };
  }
}

const tooLarge = (maxBytes: number) =>
  new UrlFetchError(`The input URL is larger than URL_INPUT_MAX_BYTES (${maxBytes} bytes)`);

function request(url: string, limits: FetchLimits, signal: AbortSignal): Promise<http.IncomingMessage> {
  const client = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.get(url, { lookup: checkedLookup(limits.allowPrivate) as never, signal }, resolve);
    req.on('error', reject);
  });
}

function fetchFailure(err: unknown, deadline: AbortSignal, cancel: AbortSignal, limits: FetchLimits): unknown {
  if (err instanceof UrlFetchError) return err;
  // A cancel is not the URL's fault: it passes through as it is, for the activity to handle.
  if (cancel.aborted) return err;
  if (deadline.aborted)
    return new UrlFetchError(
      `Fetching the input URL took longer than URL_INPUT_TIMEOUT_SECONDS (${limits.timeoutSeconds} s)`,
    );
  const message = err instanceof Error ? err.message : String(err);
  return new UrlFetchError(`Fetching the input URL failed: ${message}`);
}
