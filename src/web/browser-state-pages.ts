import { html } from 'hono/html';
import { pageLayout } from './page-layout.ts';

/** `/submissions`: filled in by app.js from what this browser keeps (ids, or the API key's list). */
export function mySubmissionsPage() {
  return pageLayout(
    'My submissions',
    html`<h1>My submissions</h1>
      <p class="lead" id="my-source">
        Runs submitted from this browser are remembered here (in this browser only). With an API key saved on the
        <a href="/key">API key</a> page, your account's runs are listed too.
      </p>
      <div class="table-scroll" tabindex="0" role="region" aria-label="My submissions">
        <table id="my-submissions" class="files">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Job</th>
              <th scope="col">Status</th>
              <th scope="col">Submitted</th>
            </tr>
          </thead>
          <tbody></tbody>
        </table>
      </div>
      <p id="my-empty" role="status">Loading…</p>`,
  );
}

/** `/key`: keeps an API key in this browser (localStorage); app.js sends it as a header, never as a cookie. */
export function keyPage() {
  return pageLayout(
    'API key',
    html`<h1>API key</h1>
      <p class="lead">
        Without a key you submit anonymously: each run can be cancelled only from the browser that submitted it. With a
        key, runs belong to your account and are listed under My submissions wherever you use it.
      </p>
      <form id="key-form" class="job-form">
        <div class="field">
          <label for="api-key">API key</label>
          <input type="password" id="api-key" name="api-key" autocomplete="off" spellcheck="false" />
        </div>
        <p>
          <button type="submit">Save in this browser</button>
          <button type="button" id="forget-key" class="secondary">Forget</button>
        </p>
        <p id="key-state" role="status"></p>
      </form>`,
  );
}
