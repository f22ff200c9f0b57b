// Search on demand: the search index (about 20 KB gzipped) and Material's search worker (about
// 12 KB) are fetched when the reader opens search, not as every page loads.
//
// Material starts its search worker (new Worker(config.search)) as its bundle runs, and would
// fetch the index then too; overrides/partials/search.html keeps it from fetching the index.
// This script, loaded just before Material's bundle, hands Material a stand-in for that one
// worker: it holds Material's messages and, once search is opened (its field focused or its
// toggle checked), starts the real worker, sends it the index as Material would (the SETUP
// message of Material's worker protocol), then passes Material's queued messages on and the
// worker's answers back.
(() => {
  const config = JSON.parse(document.getElementById("__config").textContent);
  const workerUrl = new URL(config.search, location.href).href;
  const indexUrl = new URL("search/search_index.json", new URL(config.base, location.href)).href;
  const NativeWorker = window.Worker;
  const SETUP = 0; // SearchMessageType.SETUP in Material's search worker protocol

  class SearchOnDemand extends EventTarget {
    #url;
    #worker = null;
    #queue = [];

    constructor(url) {
      super();
      this.#url = url;
    }

    postMessage(message) {
      if (this.#worker && !this.#queue) this.#worker.postMessage(message);
      else this.#queue.push(message);
    }

    terminate() {
      this.#worker?.terminate();
    }

    start() {
      if (this.#worker) return;
      this.#worker = new NativeWorker(this.#url);
      this.#worker.addEventListener("message", (event) =>
        this.dispatchEvent(new MessageEvent("message", { data: event.data })));
      fetch(indexUrl)
        .then((response) => response.json())
        .then(({ config: searchConfig, docs }) => {
          this.#worker.postMessage({ type: SETUP, data: { config: searchConfig, docs, options: { suggest: false } } });
          for (const message of this.#queue) this.#worker.postMessage(message);
          this.#queue = null;
        });
    }
  }

  let standIn = null;
  window.Worker = function Worker(url, options) {
    if (new URL(url, location.href).href !== workerUrl) return new NativeWorker(url, options);
    window.Worker = NativeWorker; // Material starts one search worker; anything later is real
    standIn = new SearchOnDemand(url);
    // Loaded on the reader's first interaction (on-interaction.js), search may be open already.
    const search = document.querySelector("[data-md-component=search]");
    if (document.getElementById("__search")?.checked || search?.contains(document.activeElement)) open();
    return standIn;
  };

  const open = () => standIn?.start();
  document.addEventListener("focusin", (event) => {
    if (event.target instanceof Element && event.target.closest("[data-md-component=search]")) open();
  });
  document.addEventListener("change", (event) => {
    if (event.target instanceof HTMLInputElement && event.target.id === "__search" && event.target.checked) open();
  });
})();
