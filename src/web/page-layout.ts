import { html } from 'hono/html';

type Html = ReturnType<typeof html>;

/**
 * Every page's frame. Values interpolated with `html` are escaped, so user data (job descriptions,
 * step messages, names) is always text; only this module's own markup is markup.
 */
export function pageLayout(title: string, body: Html) {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · analytics-automated</title>
        <link rel="icon" href="/assets/favicon.png" />
        <link rel="stylesheet" href="/assets/style.css" />
        <script src="/assets/app.js" defer></script>
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="top">
          <a class="brand" href="/">analytics-automated</a>
          <nav aria-label="Main">
            <a href="/">Jobs</a>
            <a href="/submissions">My submissions</a>
            <a href="/key">API key</a>
            <a href="/docs">API reference</a>
          </nav>
        </header>
        <main id="main">${body}</main>
      </body>
    </html>`;
}

/** A page that says what went wrong, for 404, 410 and refusals. */
export function messagePage(title: string, message: string, extra: Html | string = '') {
  return pageLayout(
    title,
    html`<h1>${title}</h1>
      <p class="lead">${message}</p>
      ${extra}
      <p><a href="/">Back to the jobs</a></p>`,
  );
}
