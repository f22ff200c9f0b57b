// The embed view of a chart (overrides/embed.html) has no palette switch and no Material script:
// it follows the reader's system colour scheme, as its pictures do, so that the page, the
// pictures and the live view (charts.js reads the same attribute) always agree.
const dark = matchMedia("(prefers-color-scheme: dark)");
function followScheme() {
  document.body.setAttribute("data-md-color-scheme", dark.matches ? "slate" : "default");
}
followScheme();
dark.addEventListener("change", followScheme);
