// A region that scrolls sideways (a wide table) must be reachable by keyboard to
// be scrolled without a mouse: give each one a tab stop and a name, numbered, since
// landmarks on one page must have names of their own. Material wraps tables after
// load, so this runs on its document$ signal when there is one. The name's words, in the page's
// language, are in the data-scroll-label of a script tag (overrides/main.html): "… {n} of {total}".
function nameScrollRegions() {
  const words = document.querySelector("script[data-scroll-label]")?.dataset.scrollLabel;
  if (!words) return;
  const regions = [...document.querySelectorAll(".md-typeset__scroll, .md-typeset__scrollwrap")];
  regions.forEach((region, index) => {
    if (region.scrollWidth > region.clientWidth && !region.hasAttribute("tabindex")) {
      region.tabIndex = 0;
      region.setAttribute("role", "region");
      region.setAttribute("aria-label", words.replace("{n}", index + 1).replace("{total}", regions.length));
    }
  });
}
if (window.document$) window.document$.subscribe(() => setTimeout(nameScrollRegions));
else addEventListener("load", nameScrollRegions);
