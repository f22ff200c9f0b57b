// A region that scrolls sideways (a wide table) must be reachable by keyboard to
// be scrolled without a mouse: give each one a tab stop and a name. Material wraps
// tables after load, so this runs on its document$ signal when there is one.
function nameScrollRegions() {
  for (const region of document.querySelectorAll(".md-typeset__scroll, .md-typeset__scrollwrap")) {
    if (region.scrollWidth > region.clientWidth && !region.hasAttribute("tabindex")) {
      region.tabIndex = 0;
      region.setAttribute("role", "region");
      region.setAttribute("aria-label", "Scrollable table");
    }
  }
}
if (window.document$) window.document$.subscribe(() => setTimeout(nameScrollRegions));
else addEventListener("load", nameScrollRegions);
