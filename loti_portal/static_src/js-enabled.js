// Loaded by a plain <script src> as the first thing in <body>, before any
// content renders, so styles for JavaScript-enhanced components apply without
// a flash. It replaces GOV.UK Frontend's inline template snippet, so the
// Content-Security-Policy needs no 'unsafe-inline' for scripts.
//
// `govuk-frontend-supported` is only added where the browser runs ES modules
// (the test GOV.UK Frontend itself uses): init.js is a module and would not
// run elsewhere, so those browsers keep the no-JavaScript experience.
document.body.className +=
  ' js-enabled' +
  ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '')
