// Material's bundle (about 34 KB gzipped) and the site's scripts that only serve a reader who
// interacts load on the reader's first interaction (a pointer or key press, a touch, a wheel turn,
// focus), not with the page: a reader who only reads pays for none of it. overrides/main.html
// lists them, in order, in this script's data-scripts.
//
// Until they arrive nothing the reader does is lost:
// - the palette is Material's from the start: this script applies the stored palette, or else the
//   one for the reader's system colour scheme, shows the toggle Material would show, and applies
//   a change of palette exactly as Material does (its body attributes, its stored "__palette"),
//   so Material starts from it (Material's inline script in the page applies a stored palette
//   even before this);
// - the search button opens search with CSS alone (its label checks Material's __search toggle);
//   this script moves focus to the search field, as Material would;
// - the drawer is a CSS toggle too;
// - a hotkey pressed before the bundle ran (Material's "/", "s", "f", "n", "p") is passed on to it.
(() => {
  const script = document.currentScript;
  const urls = script.dataset.scripts.split(" ").filter(Boolean);
  const TRIGGERS = ["pointerdown", "keydown", "focusin", "touchstart", "wheel"];
  const options = { capture: true, passive: true };

  // JavaScript runs: what Material's stylesheet hides from a page without it (the search button
  // and dialog) is shown, as Material's bundle would as its first act.
  document.documentElement.classList.replace("no-js", "js");

  // The palette toggle until Material takes over (its palette component, 9.x).
  const inputs = [...document.querySelectorAll("[data-md-component=palette] input")];
  const showToggle = (index) => inputs.forEach((input, at) => {
    const label = input.nextElementSibling;
    if (label instanceof HTMLElement) label.hidden = at !== index;
  });
  const setPalette = (input) => {
    const index = inputs.indexOf(input);
    const color = {};
    for (const key of ["media", "scheme", "primary", "accent"]) {
      color[key] = input.getAttribute(`data-md-color-${key}`);
      document.body.setAttribute(`data-md-color-${key}`, color[key]);
    }
    showToggle(index);
    __md_set("__palette", { index, color });
  };
  const applyPalette = (event) => { if (inputs.includes(event.target)) setPalette(event.target); };
  const paletteKey = (event) => {  // Material: Enter on the toggle picks the next palette
    const index = inputs.indexOf(event.target);
    if (index < 0 || event.key !== "Enter") return;
    event.preventDefault();
    const next = inputs[(index + 1) % inputs.length];
    next.click();
    next.focus();
  };
  if (inputs.length) {
    // As Material starts: the stored palette, or else the one for the reader's system colour
    // scheme (a reader whose system is dark gets the dark palette without a click), kept.
    const stored = __md_get("__palette");
    const index = stored ? stored.index
      : inputs.findIndex((input) => matchMedia(input.getAttribute("data-md-color-media")).matches);
    setPalette(inputs[Math.max(0, Math.min(index, inputs.length - 1))]);
    document.addEventListener("change", applyPalette);
    document.addEventListener("keydown", paletteKey);
  }

  // Search opened before the bundle: focus its field, as Material does when search opens.
  const focusSearch = (event) => {
    if (event.target.id === "__search" && event.target.checked) {
      document.querySelector("[data-md-component=search-query]")?.focus();
    }
  };
  document.addEventListener("change", focusSearch);

  // Hotkeys pressed before the bundle ran: a single character, no modifier, outside a field.
  const keys = [];
  const keepKey = (event) => {
    const field = event.target instanceof HTMLElement && event.target.closest("input, textarea, select, [contenteditable]");
    if (event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey && !field) keys.push(event);
  };
  document.addEventListener("keydown", keepKey);

  const done = () => {
    document.removeEventListener("change", applyPalette);
    document.removeEventListener("keydown", paletteKey);
    document.removeEventListener("change", focusSearch);
    document.removeEventListener("keydown", keepKey);
    for (const { target, key, code, shiftKey } of keys) {
      if (!target.isConnected) continue;
      target.dispatchEvent(new KeyboardEvent("keydown", { key, code, shiftKey, bubbles: true, cancelable: true }));
    }
  };

  const load = () => {
    for (const type of TRIGGERS) removeEventListener(type, load, options);
    // Material mounts its components when DOMContentLoaded fires, which is long past: a listener
    // for it added now runs at once instead (it would otherwise never run).
    const addEventListener = document.addEventListener;
    document.addEventListener = function (type, listener, ...rest) {
      if (type !== "DOMContentLoaded" || document.readyState === "loading") {
        return addEventListener.call(this, type, listener, ...rest);
      }
      const event = new Event(type);
      setTimeout(() => (typeof listener === "function" ? listener.call(document, event) : listener.handleEvent(event)));
    };
    let left = urls.length;
    for (const url of urls) {
      const tag = document.createElement("script");
      tag.src = url;
      tag.async = false;  // run in the listed order, as the page's own script tags would
      tag.addEventListener("load", () => {
        if (--left) return;
        setTimeout(() => {  // after the DOMContentLoaded listeners above have run
          delete document.addEventListener;
          done();
        });
      });
      document.body.append(tag);
    }
  };
  for (const type of TRIGGERS) addEventListener(type, load, options);
})();
