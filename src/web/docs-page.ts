import { html } from 'hono/html';

/** The API reference: Swagger UI from the installed swagger-ui-dist, over /openapi.json. */
export function docsPage() {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>API reference · analytics-automated</title>
        <link rel="icon" href="/assets/favicon.png" />
        <link rel="stylesheet" href="/assets/swagger-ui.css" />
        <link rel="stylesheet" href="/assets/docs.css" />
        <script src="/assets/swagger-ui-bundle.js" defer></script>
        <script src="/assets/docs-init.js" defer></script>
      </head>
      <body>
        <main><div id="swagger-ui" data-openapi="/openapi.json"></div></main>
      </body>
    </html>`;
}
