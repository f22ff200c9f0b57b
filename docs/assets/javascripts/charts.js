// Make pre-rendered charts interactive, but only once a reader shows interest.
//
// Each chart arrives as an SVG picture that is complete without JavaScript. The
// first pointer, touch or keyboard focus on any chart loads the chart runtime
// (once for the page) and swaps that chart for a live Vega view, replaying the
// pointer position so the first hover or tap is not lost. Live views follow
// Material's light/dark switch.

const RUNTIME_URL = new URL("chart-runtime.js", import.meta.url).href;
// Figures name their specs by path in the site (data-vega-*); this file is assets/javascripts/charts.js.
const SITE_ROOT = new URL("../../", import.meta.url);
const INTEREST = ["pointerover", "touchstart", "focusin"];
let runtime; // Promise of the runtime module, shared by every chart on the page
const live = new Map(); // figure -> {view, holder}

function scheme() {
  return document.body.getAttribute("data-md-color-scheme") === "slate" ? "dark" : "light";
}

function loadRuntime() {
  runtime ??= import(RUNTIME_URL);
  return runtime;
}

function specUrl(figure) {
  // The same variant as the picture: the live view is drawn at the picture's width.
  const narrow = matchMedia(`(max-width: ${figure.dataset.narrowBelow}px)`).matches;
  const key = `vega${scheme() === "dark" ? "Dark" : "Light"}${narrow ? "Narrow" : "Wide"}`;
  return new URL(figure.dataset[key], SITE_ROOT).href;
}

async function render(figure, vega) {
  const url = specUrl(figure);
  const spec = await (await fetch(url)).json();
  const view = new vega.View(vega.parse(spec, null, { ast: true }), {
    expr: vega.expressionInterpreter,
    renderer: "svg",
    hover: true,
    // Its style is in site.css: the Content-Security-Policy blocks the <style> it would inject.
    tooltip: new vega.TooltipHandler({ theme: scheme() === "dark" ? "dark" : "light", disableDefaultStyle: true }).call,
  });
  const old = live.get(figure);
  const holder = document.createElement("div");
  holder.className = "chart-live";
  figure.querySelector(".chart-view").append(holder);
  view.initialize(holder);
  await view.runAsync();
  if (old) {
    old.view.finalize();
    old.holder.remove();
  }
  figure.classList.add("is-live");
  live.set(figure, { view, holder });
  return view;
}

function replay(event) {
  // Send the first pointer position again, now that live marks are under it.
  if (!("clientX" in event)) return;
  const target = document.elementFromPoint(event.clientX, event.clientY);
  if (!target) return;
  for (const type of ["pointermove", "mousemove"]) {
    const Ctor = type === "pointermove" && window.PointerEvent ? PointerEvent : MouseEvent;
    target.dispatchEvent(new Ctor(type, { bubbles: true, clientX: event.clientX, clientY: event.clientY }));
  }
}

async function activate(figure, event) {
  if (figure.dataset.state) return;
  figure.dataset.state = "loading";
  let last = event;
  const track = (e) => (last = e);
  figure.addEventListener("pointermove", track);
  try {
    const vega = await loadRuntime();
    await render(figure, vega);
    figure.dataset.state = "live";
    replay(last);
  } catch (error) {
    figure.dataset.state = "failed"; // the picture stays: the chart is still complete
    console.warn("chart stayed static:", error);
  } finally {
    figure.removeEventListener("pointermove", track);
  }
}

for (const figure of document.querySelectorAll("figure.chart[data-vega-light-wide]")) {
  const onInterest = (event) => {
    INTEREST.forEach((type) => figure.removeEventListener(type, onInterest));
    activate(figure, event);
  };
  INTEREST.forEach((type) => figure.addEventListener(type, onInterest, { passive: true }));
}

// Re-render live views when the reader flips Material's palette switch, or the
// window crosses the phone/desktop width.
async function rerender() {
  if (!live.size) return;
  const vega = await loadRuntime();
  for (const figure of live.keys()) await render(figure, vega);
}
new MutationObserver(rerender).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
const anyFigure = document.querySelector("figure.chart[data-narrow-below]");
if (anyFigure) matchMedia(`(max-width: ${anyFigure.dataset.narrowBelow}px)`).addEventListener("change", rerender);
