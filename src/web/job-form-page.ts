import { html } from 'hono/html';
import type { ParameterJsonSchema, PublicJob } from '../submissions/public-job-catalogue.ts';
import { humanBytes, humanSeconds } from './human-units.ts';
import { pageLayout } from './page-layout.ts';

const id = (field: string) => `f-${field}`;

/** A field's frame: its label, required mark, help and the slot where hints and the API's messages appear. */
function field(name: string, label: string, required: boolean, control: unknown, help?: string, step?: string) {
  return html`<div class="field" data-field="${name}">
    <label for="${id(name)}"
      >${label}${required ? html` <span class="required">(required)</span>` : ''}${
        step ? html` <span class="step-name">step ${step}</span>` : ''
      }</label
    >
    ${control} ${help ? html`<p class="help" id="${id(name)}-help">${help}</p>` : ''}
    <p class="field-error" id="${id(name)}-error" aria-live="polite"></p>
  </div>`;
}

const describedBy = (name: string, help?: string) =>
  [help ? `${id(name)}-help` : '', `${id(name)}-error`].filter(Boolean).join(' ');

/** The right control for each parameter type: a checkbox, a select of the choices, or a text box with a pattern. */
function parameterControl(name: string, schema: ParameterJsonSchema, required: boolean) {
  const common = { id: id(name), describedBy: describedBy(name, schema.description) };
  if (schema.type === 'boolean') {
    return html`<input
      type="checkbox"
      id="${common.id}"
      name="${name}"
      value="true"
      data-type="boolean"
      aria-describedby="${common.describedBy}"
      ${schema.default === true ? 'checked' : ''}
    />`;
  }
  if (schema.enum) {
    return html`<select
      id="${common.id}"
      name="${name}"
      aria-describedby="${common.describedBy}"
      ${required ? 'required' : ''}
    >
      ${schema.default === undefined ? html`<option value="">(choose)</option>` : ''}
      ${schema.enum.map(
        (choice) => html`<option value="${choice}" ${choice === schema.default ? 'selected' : ''}>${choice}</option>`,
      )}
    </select>`;
  }
  const numeric = schema.type === 'integer' || schema.type === 'number';
  return html`<input
    type="text"
    id="${common.id}"
    name="${name}"
    data-type="${schema.type}"
    aria-describedby="${common.describedBy}"
    ${numeric ? html`inputmode="${schema.type === 'integer' ? 'numeric' : 'decimal'}"` : ''}
    ${schema.maxLength ? html`maxlength="${schema.maxLength}"` : ''}
    ${schema.default !== undefined ? html`value="${String(schema.default)}"` : ''}
    ${required ? 'required aria-required="true"' : ''}
  />`;
}

function inputHelp(job: PublicJob): string {
  return [
    job.input.endings.length ? `Read as ${job.input.endings.join(', ')}` : '',
    job.input.validators.length ? `checked by ${job.input.validators.join(', ')}` : '',
    `at most ${humanBytes(job.input.maxBytes)}`,
  ]
    .filter(Boolean)
    .join('; ');
}

/** `/jobs/{name}`: a form generated from the job's parameter schema; app.js submits it to the API. */
export function jobFormPage(job: PublicJob) {
  const required = new Set(job.parameters.required);
  const fileHelp = inputHelp(job);
  const parameters = Object.entries(job.parameters.properties);
  return pageLayout(
    job.name,
    html`<h1>${job.name}</h1>
      ${job.description ? html`<p class="lead">${job.description}</p>` : ''}
      ${
        job.typicalRunSeconds === null
          ? ''
          : html`<p class="meta">A run typically takes ${humanSeconds(job.typicalRunSeconds)}.</p>`
      }
      <form
        id="submit-form"
        class="job-form"
        method="post"
        action="/api/v1/jobs/${encodeURIComponent(job.name)}/submissions"
        enctype="multipart/form-data"
        data-job="${job.name}"
        novalidate
      >
        ${field(
          'submission_name',
          'Name of this run',
          true,
          html`<input
            type="text"
            id="${id('submission_name')}"
            name="submission_name"
            maxlength="256"
            required
            aria-required="true"
            aria-describedby="${describedBy('submission_name')}"
            value="${job.name} run"
          />`,
        )}
        ${field(
          'email',
          'E-mail (optional: a message when the run ends)',
          false,
          html`<input
            type="email"
            id="${id('email')}"
            name="email"
            maxlength="256"
            autocomplete="email"
            aria-describedby="${describedBy('email')}"
          />`,
        )}
        ${
          parameters.length
            ? html`<fieldset>
                <legend>Parameters</legend>
                ${parameters.map(([name, schema]) =>
                  field(
                    name,
                    schema.title,
                    required.has(name),
                    parameterControl(name, schema, required.has(name)),
                    schema.description,
                    schema['x-task'],
                  ),
                )}
              </fieldset>`
            : ''
        }
        ${field(
          'input_data',
          'Input file',
          job.input.required,
          html`<input
            type="file"
            id="${id('input_data')}"
            name="input_data"
            aria-describedby="${describedBy('input_data', fileHelp)}"
            ${job.input.endings.length ? html`accept="${job.input.endings.join(',')}"` : ''}
            ${job.input.required ? 'required aria-required="true"' : ''}
            data-max-bytes="${job.input.maxBytes}"
          />`,
          fileHelp,
        )}
        <div class="upload" hidden>
          <label for="upload-progress">Uploading</label>
          <progress id="upload-progress" max="100" value="0"></progress>
        </div>
        <p class="form-error" id="form-error" role="alert"></p>
        <button type="submit">Submit</button>
      </form>`,
  );
}
