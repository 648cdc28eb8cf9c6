// Starts Swagger UI on /docs over the server's own OpenAPI document (a file, so the page needs no inline script).
window.addEventListener('DOMContentLoaded', () => {
  window.ui = window.SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui' });
});
