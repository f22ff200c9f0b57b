// Scrolled sequences (pages/scrolly.py): one picture stays pinned while the steps' words scroll
// past, and the picture of the step whose words come into view below it is swapped in.
// Without this script each step shows its own picture above its words. The words are the same
// text either way; the pinned copy repeats them in pictures, so screen readers skip it.
// Material's instant loading swaps pages without a reload: set up on each page it shows.
function setUpScrollies() {
  for (const section of document.querySelectorAll(".scrolly:not(.is-live)")) {
    const steps = [...section.querySelectorAll(".scrolly-step")];
    if (!steps.length || !("IntersectionObserver" in window)) continue;
    const pinned = document.createElement("div");
    pinned.className = "scrolly-pinned";
    pinned.setAttribute("aria-hidden", "true");
    section.querySelector(".scrolly-steps").before(pinned);
    section.classList.add("is-live");

    let current = null;
    const show = (step) => {
      if (step === current) return;
      current?.classList.remove("is-active");
      step.classList.add("is-active");
      current = step;
      section.dataset.activeStep = step.dataset.step;
      const pictures = [...step.querySelectorAll(".scrolly-figure picture")].map((picture) => {
        const copy = picture.cloneNode(true);
        // The copies keep their light/dark classes and their lazy loading, so only the one
        // displayed for the reader's colour scheme is fetched, and only once the sequence is
        // near the screen (the page's first view does not pay for it).
        copy.querySelectorAll("img").forEach((img) => { img.alt = ""; });
        return copy;
      });
      pinned.replaceChildren(...pictures);
    };
    show(steps[0]);

    // The current step is the last whose words have risen above a line four-fifths down the
    // viewport; the steps are spaced so that the current one's words stay below the pinned
    // picture (at most about half the screen) until the next one takes over. The observer only
    // says when some step's words cross that line; which step is current is worked out afresh
    // each time, so a jump (a link, a fast scroll) lands right.
    const texts = steps.map((step) => step.querySelector(".scrolly-text"));
    const LINE = 0.8;
    const update = () => {
      const line = innerHeight * LINE;
      const passed = texts.filter((text) => text.getBoundingClientRect().top < line);
      show(passed.length ? passed[passed.length - 1].closest(".scrolly-step") : steps[0]);
    };
    const observer = new IntersectionObserver(update, { rootMargin: `0px 0px -${(1 - LINE) * 100}% 0px` });
    texts.forEach((text) => observer.observe(text));
  }
}
if (window.document$) window.document$.subscribe(() => setUpScrollies());
else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUpScrollies);
else setUpScrollies();
