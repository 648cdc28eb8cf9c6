import { html, raw } from 'hono/html';
import type { Db } from '../db/create-db.ts';
import type { SubmissionView } from '../api/submission-schemas.ts';
import { renderProgressSvg } from '../api/render-progress-svg.ts';
import { isSettled } from '../submissions/submission-status.ts';
import { humanBytes, timeLeft } from './human-units.ts';
import { pageLayout } from './page-layout.ts';
import { renderPreview } from './result-preview.ts';

const HEADLINES: Record<string, string> = {
  submitted: 'Waiting to start',
  running: 'Running',
  complete: 'Complete',
  error: 'Failed: a step reported an error',
  crash: 'Failed: the system could not run it',
  cancelled: 'Cancelled',
};
// Beyond this many results the page lists them without previews.
const MAX_PREVIEWS = 6;

type FileView = SubmissionView['files'][number];

function fileRow(file: FileView) {
  return html`<tr>
    <td><a href="${file.url}" download="${file.name}">${file.name}</a></td>
    <td>${file.kind}${file.task ? html` <span class="step-name">${file.task}</span>` : ''}</td>
    <td title="${file.size} bytes">${humanBytes(file.size)}</td>
    <td><code class="checksum">${file.sha256 ?? ''}</code></td>
  </tr>`;
}

async function resultsSection(db: Db, view: SubmissionView) {
  if (view.files.length === 0) return '';
  const results = view.files.filter((f) => f.kind === 'result');
  const previews = await Promise.all(
    results.slice(0, MAX_PREVIEWS).map(async (f) => ({ file: f, preview: await renderPreview(db, f) })),
  );
  return html`<section class="results" aria-labelledby="results-heading">
    <h2 id="results-heading">Files</h2>
    <div class="table-scroll" tabindex="0" role="region" aria-label="Files of this run">
      <table class="files">
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Kind</th>
            <th scope="col">Size</th>
            <th scope="col">SHA-256</th>
          </tr>
        </thead>
        <tbody>
          ${view.files.map(fileRow)}
        </tbody>
      </table>
    </div>
    ${previews
      .filter((p) => p.preview !== '')
      .map(
        (p) =>
          html`<figure class="preview">
            <figcaption>${p.file.name}</figcaption>
            ${p.preview}
          </figure>`,
      )}
  </section>`;
}

function stepsTable(view: SubmissionView) {
  const steps = view.stages.flatMap((stage) => stage.steps.map((step) => ({ stage: stage.stage, step })));
  return html`<div class="table-scroll" tabindex="0" role="region" aria-label="Steps">
    <table class="steps">
      <caption>
        Steps
      </caption>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Task</th>
          <th scope="col">State</th>
          <th scope="col">Attempt</th>
          <th scope="col">Message</th>
        </tr>
      </thead>
      <tbody>
        ${steps.map(
          ({ stage, step }) =>
            html`<tr data-step="${step.index + 1}" data-status="${step.status}">
              <td>${step.index + 1} <span class="step-name">stage ${stage}</span></td>
              <td>${step.task}</td>
              <td><span class="badge badge-${step.status}">${step.status}</span></td>
              <td>${step.attempt || ''}</td>
              <td class="message">
                ${step.message}${step.exitCode !== null && step.status !== 'complete' ? ` (exit ${step.exitCode})` : ''}
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

/** The part of the status page that changes: app.js swaps it for a fresh copy whenever the run moves. */
export async function submissionLive(db: Db, view: SubmissionView, typicalSeconds: number | null, now = Date.now()) {
  const ended = isSettled(view.status);
  const since = Date.parse(view.startedAt ?? view.createdAt);
  const eta = ended ? null : timeLeft(typicalSeconds, (now - since) / 1000);
  // The SVG escapes every name and message itself; inline, it needs no script and no extra request.
  const svg = renderProgressSvg(view).replace(/^<\?xml[^>]*>\s*/, '');
  return html`<div class="status-line status-${view.status}" data-status="${view.status}">
      <p class="headline"><strong>${HEADLINES[view.status] ?? view.status}</strong></p>
      ${view.lastMessage ? html`<p class="last-message">${view.lastMessage}</p>` : ''}
      ${eta ? html`<p class="eta">${eta}</p>` : ''}
      ${
        ended
          ? ''
          : html`<p>
              <button type="button" class="danger" data-cancel="${view.id}">Cancel this run</button>
              <span class="cancel-result" role="status"></span>
            </p>`
      }
    </div>
    <figure class="graph">
      <div class="graph-scroll" tabindex="0" role="region" aria-label="Progress graph">${raw(svg)}</div>
      <figcaption>Stages from left to right; each step coloured by its state.</figcaption>
    </figure>
    ${stepsTable(view)} ${await resultsSection(db, view)}`;
}

/** `/submissions/{id}`: the status page, its live part rendered now and then kept fresh by app.js. */
export function submissionPage(view: SubmissionView, live: unknown, marker: string) {
  return pageLayout(
    view.name,
    html`<h1>${view.name}</h1>
      <p class="meta">
        Job <a href="/jobs/${encodeURIComponent(view.job)}">${view.job}</a> · submitted
        <time datetime="${view.createdAt}">${view.createdAt.replace('T', ' ').slice(0, 19)} UTC</time> · id
        <code>${view.id}</code>
      </p>
      <div id="live" data-id="${view.id}" data-marker="${marker}" data-ended="${isSettled(view.status)}">${live}</div>`,
  );
}
