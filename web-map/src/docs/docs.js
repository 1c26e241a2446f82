// The API reference at /api/docs: Swagger UI (npm swagger-ui-dist, bundled into the jar by build.mjs, no CDN)
// over the server's own description, /api/openapi.json. A module file, not an inline script, so the page runs
// under the Content-Security-Policy (aim.web.SecurityHeaders; this page gets a stricter one of its own).
import SwaggerUIBundle from 'swagger-ui-dist/swagger-ui-bundle.js';
import 'swagger-ui-dist/swagger-ui.css';

SwaggerUIBundle({
  url: '/api/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  // no badge from validator.swagger.io: the page talks to this server only (the spec is validated in OpenApiSpecTest)
  validatorUrl: null,
  // "Try it out" sends the browser's session cookie; AIM's writes also need the page's own origin, which it has
  withCredentials: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
});
