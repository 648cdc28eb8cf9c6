import { html } from 'hono/html';
import type { PublicJob } from '../submissions/public-job-catalogue.ts';
import { humanSeconds } from './human-units.ts';
import { pageLayout } from './page-layout.ts';

function jobCard(job: PublicJob) {
  const facts = [
    `${job.steps} step${job.steps === 1 ? '' : 's'}`,
    job.typicalRunSeconds === null ? null : `typically ${humanSeconds(job.typicalRunSeconds)}`,
    job.input.endings.length ? `input: ${job.input.endings.join(', ')}` : null,
  ].filter(Boolean);
  return html`<li class="card">
    <h2><a href="/jobs/${encodeURIComponent(job.name)}">${job.name}</a></h2>
    ${job.description ? html`<p>${job.description}</p>` : ''}
    <p class="meta">${facts.join(' · ')}</p>
  </li>`;
}

/** `/`: the runnable jobs, each linking to its form. */
export function cataloguePage(jobs: PublicJob[]) {
  return pageLayout(
    'Jobs',
    html`<h1>Jobs you can run</h1>
      ${
        jobs.length === 0
          ? html`<p class="lead">No job is runnable yet: an administrator configures them (see the API reference).</p>`
          : html`<ul class="cards" id="catalogue">
              ${jobs.map(jobCard)}
            </ul>`
      }`,
  );
}
