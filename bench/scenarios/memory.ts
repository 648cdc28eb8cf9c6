import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, openAsBlob } from 'node:fs';
import { copyFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { waitForEnd } from '../bench-client.ts';
import { sized, type BenchContext } from '../bench-context.ts';
import { memoryOf, resetPeakMemory } from '../bench-processes.ts';
import { RUN_DIR } from '../bench-stack.ts';
import { round, type Figure } from '../bench-stats.ts';
import { BENCH_JOBS } from '../bench-jobs.ts';

const MB = 1024 * 1024;

async function writeFileOfSize(file: string, bytes: number): Promise<void> {
  const out = createWriteStream(file);
  const block = randomBytes(MB);
  for (let written = 0; written < bytes; written += MB) {
    block.writeUInt32LE(written / MB, 0);
    if (!out.write(block)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
}

/**
 * What the machine does with the same file and nothing of ours in between: a plain copy (the
 * kernel's copy_file_range) and a sha256 of it. The file was just written, so it is in the page
 * cache for these as for the upload; dropping the cache would need root and disturb everything else.
 */
async function floorOf(file: string): Promise<{ copySeconds: number; sha256Seconds: number }> {
  const copy = `${file}.copy`;
  try {
    const t0 = performance.now();
    await copyFile(file, copy);
    const copySeconds = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(file, { highWaterMark: MB })) hash.update(chunk as Buffer);
    hash.digest();
    return { copySeconds, sha256Seconds: (performance.now() - t1) / 1000 };
  } finally {
    await rm(copy, { force: true });
  }
}

/** Peak RSS growth of `aa api` (VmHWM after a clear_refs reset) while a large file goes up and comes back. */
export async function memoryScenario(ctx: BenchContext): Promise<Figure[]> {
  const figures: Figure[] = [];
  const apiPid = ctx.pids.api;
  if (!apiPid) {
    console.log('memory: skipped (the API is not a local process)');
    return figures;
  }
  const size = sized(ctx, 1024, 128) * MB;
  const label = size >= 1024 * MB ? `${size / 1024 / MB} GiB` : `${size / MB} MiB`;
  const file = path.join(RUN_DIR, 'upload.bin');
  await writeFileOfSize(file, size);
  try {
    const floor = await floorOf(file);
    const { url } = ctx.target;
    const before = await memoryOf(apiPid);
    await resetPeakMemory(apiPid);
    const form = new FormData();
    form.set('submission_name', 'memory');
    form.set('input_data', await openAsBlob(file), 'upload.bin');
    const t0 = performance.now();
    const res = await fetch(`${url}/api/v1/jobs/${BENCH_JOBS.upload}/submissions`, { method: 'POST', body: form });
    const body = (await res.json()) as { id?: string };
    if (res.status !== 201 || !body.id) throw new Error(`upload answered ${res.status}: ${JSON.stringify(body)}`);
    const uploadSeconds = (performance.now() - t0) / 1000;
    const afterUpload = await memoryOf(apiPid);

    const state = await waitForEnd(url, body.id, 600_000);
    const input = state.files.find((f) => f.kind === 'input');
    if (state.status !== 'complete' || !input)
      throw new Error(`upload job ended ${state.status}: ${state.lastMessage}`);
    const beforeDownload = await memoryOf(apiPid);
    await resetPeakMemory(apiPid);
    const t1 = performance.now();
    const download = await fetch(`${url}${input.url}`);
    let received = 0;
    for await (const chunk of download.body!) received += (chunk as Uint8Array).length;
    const downloadSeconds = (performance.now() - t1) / 1000;
    const afterDownload = await memoryOf(apiPid);
    if (received !== size) throw new Error(`downloaded ${received} bytes of ${size}`);

    const up = (afterUpload.peak - before.current) / MB;
    const down = (afterDownload.peak - beforeDownload.current) / MB;
    const rate = (seconds: number) => size / MB / seconds;
    // An upload must both write and hash every byte: its floor is the slower of the two. A download only reads.
    const uploadFloor = Math.min(rate(floor.copySeconds), rate(floor.sha256Seconds));
    const downloadFloor = rate(floor.copySeconds);
    figures.push(
      {
        name: 'memory-upload',
        value: up,
        unit: 'MB',
        detail: `API peak RSS growth for a ${label} upload; RSS ${round(before.current / MB)} MB before, ${round(size / MB / uploadSeconds)} MB/s`,
        data: { bytes: size, before, afterUpload, seconds: uploadSeconds },
      },
      {
        name: 'memory-download',
        value: down,
        unit: 'MB',
        detail: `API peak RSS growth for a ${label} download; RSS ${round(beforeDownload.current / MB)} MB before, ${round(size / MB / downloadSeconds)} MB/s`,
        data: { bytes: size, beforeDownload, afterDownload, seconds: downloadSeconds },
      },
      {
        name: 'files-floor',
        value: round(rate(floor.copySeconds)),
        unit: 'MB/s',
        detail: `plain copy of the same ${label} (page cache warm); sha256 of it ${round(rate(floor.sha256Seconds))} MB/s`,
        data: { bytes: size, ...floor },
      },
      {
        name: 'files-upload-speed',
        value: round(rate(uploadSeconds)),
        unit: 'MB/s',
        detail: `${label} through the API, ${round(rate(uploadSeconds) / uploadFloor, 2)}× the floor (${round(uploadFloor)} MB/s, the slower of copy and sha256; goal ≥ 0.6×)`,
        data: { seconds: uploadSeconds, floor: uploadFloor },
      },
      {
        name: 'files-download-speed',
        value: round(rate(downloadSeconds)),
        unit: 'MB/s',
        detail: `${label} through the API, ${round(rate(downloadSeconds) / downloadFloor, 2)}× the floor (${round(downloadFloor)} MB/s, the copy; goal ≥ 0.6×)`,
        data: { seconds: downloadSeconds, floor: downloadFloor },
      },
    );
    return figures;
  } finally {
    await rm(file, { force: true });
  }
}
