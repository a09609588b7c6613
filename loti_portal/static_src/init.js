// Starts GOV.UK Frontend's components (service navigation menu, error summary
// focus, notification banner focus, radios and checkboxes conditional reveals
// and the rest) on every page. Loaded as <script type="module"> at the end of
// <body>; the pages work in full without it.
import { initAll } from './govuk-frontend.min.js'

initAll()
