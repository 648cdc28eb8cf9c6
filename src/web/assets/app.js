// The pages' only script, loaded as a file (the CSP allows no inline script). It submits the job
// form to the API with an upload progress bar, shows the API's messages next to the fields,
// keeps the status page fresh, cancels, and lists "my submissions" from what this browser keeps.
'use strict';

const SUBMISSIONS_KEY = 'aa.submissions';
const API_KEY = 'aa.apiKey';
const SETTLED = ['complete', 'error', 'crash', 'cancelled', 'deleted', 'expired'];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function readJsonStorage(key, fallback) {
  try {
    return JSON.parse(localStorage.getItem(key) ?? '') ?? fallback;
  } catch {
    return fallback;
  }
}

function apiKey() {
  return localStorage.getItem(API_KEY) || '';
}

function authHeaders() {
  const key = apiKey();
  return key ? { Authorization: `Bearer ${key}` } : {};
}

/** Submissions made in this browser: id, job, name, time, and (anonymous ones) the control token. */
function rememberedSubmissions() {
  const list = readJsonStorage(SUBMISSIONS_KEY, []);
  return Array.isArray(list) ? list : [];
}

function remember(entry) {
  const list = rememberedSubmissions().filter((s) => s.id !== entry.id);
  list.unshift(entry);
  localStorage.setItem(SUBMISSIONS_KEY, JSON.stringify(list.slice(0, 200)));
}

// ---- the job form ----

function setFieldError(form, name, message) {
  const field = form.querySelector(`.field[data-field="${CSS.escape(name)}"]`);
  if (!field) return false;
  field.querySelector('.field-error').textContent = message;
  field.classList.toggle('invalid', message !== '');
  const control = field.querySelector('input, select');
  if (control) control.setAttribute('aria-invalid', message ? 'true' : 'false');
  return true;
}

function clearErrors(form) {
  for (const field of form.querySelectorAll('.field')) setFieldError(form, field.dataset.field, '');
  form.querySelector('#form-error').textContent = '';
}

/** Hints while typing; the API's answer on submit is the authority and replaces them. */
function hint(form, control) {
  const value = control.value.trim();
  let message = '';
  if (control.dataset.type === 'integer' && value !== '' && !/^[+-]?\d{1,15}$/.test(value)) {
    message = 'should be a whole number';
  } else if (control.dataset.type === 'number' && value !== '' && !Number.isFinite(Number(value))) {
    message = 'should be a number';
  } else if (control.type === 'file' && control.files[0] && control.files[0].size > Number(control.dataset.maxBytes)) {
    message = `is larger than the ${control.dataset.maxBytes} bytes allowed`;
  }
  setFieldError(form, control.name, message);
}

/** Places each of the API's messages next to the field it names; what names no field goes on top. */
function showRefusal(form, status, body) {
  const error = body && body.error ? body.error : { message: `The server answered ${status}` };
  const details = Array.isArray(error.details) ? error.details : [];
  let placed = 0;
  for (const detail of details) {
    const name = String(detail.field ?? detail.path ?? '').split('.')[0];
    if (name && setFieldError(form, name, detail.message)) placed += 1;
  }
  if (error.code === 'validation_failed' && setFieldError(form, 'input_data', error.message)) placed += 1;
  form.querySelector('#form-error').textContent = error.message;
  const first = form.querySelector('.field.invalid input, .field.invalid select');
  if (placed && first) first.focus();
}

function formData(form) {
  const data = new FormData();
  for (const control of form.elements) {
    if (!control.name) continue;
    // An unticked box is sent as false, so a switch that defaults to on can be turned off.
    if (control.type === 'checkbox') data.append(control.name, control.checked ? 'true' : 'false');
    else if (control.type === 'file') {
      if (control.files[0]) data.append(control.name, control.files[0]);
    } else if (control.value !== '') data.append(control.name, control.value);
  }
  return data;
}

function submitForm(form) {
  clearErrors(form);
  const button = form.querySelector('button[type="submit"]');
  const upload = form.querySelector('.upload');
  const bar = form.querySelector('#upload-progress');
  const data = formData(form);
  const request = new XMLHttpRequest();
  request.open('POST', form.action);
  for (const [name, value] of Object.entries(authHeaders())) request.setRequestHeader(name, value);
  request.setRequestHeader('Accept', 'application/json');
  if (data.has('input_data')) {
    upload.hidden = false;
    bar.value = 0;
    request.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) bar.value = Math.round((event.loaded / event.total) * 100);
    });
  }
  button.disabled = true;
  request.addEventListener('load', () => {
    let body = null;
    try {
      body = JSON.parse(request.responseText);
    } catch {
      body = null;
    }
    if (request.status === 201 && body && body.id) {
      bar.value = 100;
      remember({
        id: body.id,
        token: body.controlToken,
        job: form.dataset.job,
        name: data.get('submission_name') ?? '',
        at: new Date().toISOString(),
      });
      window.location.assign(`/submissions/${body.id}`);
      return;
    }
    upload.hidden = true;
    button.disabled = false;
    showRefusal(form, request.status, body);
  });
  request.addEventListener('error', () => {
    upload.hidden = true;
    button.disabled = false;
    form.querySelector('#form-error').textContent = 'The server could not be reached; nothing was submitted.';
  });
  request.send(data);
}

function setUpForm(form) {
  form.addEventListener('input', (event) => hint(form, event.target));
  form.addEventListener('change', (event) => hint(form, event.target));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submitForm(form);
  });
}

// ---- the status page ----

async function follow(live) {
  const id = live.dataset.id;
  let marker = live.dataset.marker;
  const needsKey = live.dataset.needsKey === 'true';
  if (needsKey && !apiKey()) return;
  while (live.dataset.ended !== 'true') {
    let response;
    try {
      response = await fetch(`/submissions/${encodeURIComponent(id)}/live?since=${encodeURIComponent(marker)}`, {
        headers: authHeaders(),
        cache: 'no-store',
      });
    } catch {
      await sleep(2000);
      continue;
    }
    if (response.status === 404 || response.status === 410) {
      if (!needsKey) window.location.reload();
      return;
    }
    if (!response.ok) {
      await sleep(2000);
      continue;
    }
    if (needsKey && marker === '') showFoundWithKey();
    live.innerHTML = await response.text();
    marker = response.headers.get('x-progress-marker') ?? '';
    live.dataset.ended = String(SETTLED.includes(response.headers.get('x-submission-status')));
  }
}

function showFoundWithKey() {
  const main = document.getElementById('main');
  main.querySelector('h1').textContent = 'Submission';
  for (const p of main.querySelectorAll('p')) p.remove();
  document.title = 'Submission · analytics-automated';
}

async function cancel(button) {
  const id = button.dataset.cancel;
  const result = button.parentElement.querySelector('.cancel-result');
  const token = rememberedSubmissions().find((s) => s.id === id)?.token;
  button.disabled = true;
  result.textContent = 'Cancelling…';
  try {
    const response = await fetch(`/api/v1/submissions/${encodeURIComponent(id)}/cancel`, {
      method: 'POST',
      headers: { ...authHeaders(), ...(token ? { 'Submission-Token': token } : {}) },
    });
    if (response.ok) {
      result.textContent = 'Cancel requested: stopping the running steps…';
      return;
    }
    const body = await response.json().catch(() => null);
    result.textContent = body?.error?.message ?? `The server answered ${response.status}`;
  } catch {
    result.textContent = 'The server could not be reached.';
  }
  button.disabled = false;
}

/** A download of a submission made with an API key: a plain link would not carry the key, so fetch it with the header. */
async function downloadWithKey(link) {
  const response = await fetch(link.href, { headers: authHeaders() });
  if (!response.ok) {
    window.alert(`The download failed: the server answered ${response.status}`);
    return;
  }
  const url = URL.createObjectURL(await response.blob());
  const temporary = document.createElement('a');
  temporary.href = url;
  temporary.download = link.getAttribute('download') || '';
  document.body.append(temporary);
  temporary.click();
  temporary.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

// ---- my submissions and the API key ----

async function fetchJson(url) {
  const response = await fetch(url, { headers: authHeaders(), cache: 'no-store' });
  return { status: response.status, body: response.ok ? await response.json() : null };
}

async function listMine(table) {
  const found = new Map();
  await Promise.all(
    rememberedSubmissions().map(async (entry) => {
      const { status, body } = await fetchJson(`/api/v1/submissions/${encodeURIComponent(entry.id)}`).catch(() => ({}));
      const gone = status === 404 ? 'not found' : status === 410 ? 'deleted' : 'unknown';
      found.set(
        entry.id,
        body ?? { id: entry.id, name: entry.name, job: entry.job, status: gone, createdAt: entry.at },
      );
    }),
  );
  if (apiKey()) {
    const { body } = await fetchJson('/api/v1/submissions?limit=100').catch(() => ({}));
    for (const item of body?.items ?? []) found.set(item.id, item);
  }
  const rows = [...found.values()].sort((a, b) => String(b.createdAt).localeCompare(String(a.createdAt)));
  const tbody = table.querySelector('tbody');
  tbody.replaceChildren(
    ...rows.map((s) => {
      const tr = document.createElement('tr');
      const link = document.createElement('a');
      link.href = `/submissions/${encodeURIComponent(s.id)}`;
      link.textContent = s.name || s.id;
      const cells = [
        link,
        s.job ?? '',
        s.status ?? '',
        String(s.createdAt ?? '')
          .replace('T', ' ')
          .slice(0, 19),
      ];
      for (const content of cells) {
        const td = document.createElement('td');
        td.append(content);
        tr.append(td);
      }
      return tr;
    }),
  );
  document.getElementById('my-empty').textContent = rows.length ? '' : 'No submissions yet from this browser.';
}

function setUpKeyForm(form) {
  const input = form.querySelector('#api-key');
  const state = form.querySelector('#key-state');
  state.textContent = apiKey() ? 'A key is saved in this browser.' : 'No key saved: you submit anonymously.';
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (input.value.trim() === '') return;
    localStorage.setItem(API_KEY, input.value.trim());
    input.value = '';
    state.textContent = 'Saved in this browser.';
  });
  form.querySelector('#forget-key').addEventListener('click', () => {
    localStorage.removeItem(API_KEY);
    state.textContent = 'Forgotten: you submit anonymously.';
  });
}

document.addEventListener('DOMContentLoaded', () => {
  const form = document.getElementById('submit-form');
  if (form) setUpForm(form);
  const live = document.getElementById('live');
  if (live) void follow(live);
  const mine = document.getElementById('my-submissions');
  if (mine) void listMine(mine);
  const keyForm = document.getElementById('key-form');
  if (keyForm) setUpKeyForm(keyForm);
  document.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-cancel]');
    if (button) void cancel(button);
    const download = event.target.closest('#live a[download]');
    if (download && apiKey()) {
      event.preventDefault();
      void downloadWithKey(download);
    }
  });
});
