// The preview's page: draws the state the server sends (server-sent events), keeping the reader's place.
// Every text from the build goes in with textContent: nothing it says can become markup.
"use strict";
(() => {
  const view = document.getElementById("view");
  const status = document.getElementById("status");
  const diagnostics = document.getElementById("diagnostics");
  const toc = document.getElementById("toc");
  const zoom = document.getElementById("zoom");
  let state = JSON.parse(document.getElementById("state").textContent);
  let images = new Map();  // image URL -> its <img>s: an unchanged page keeps its loaded image
  let shown = new Map();  // edition -> the image URLs of its pages as last drawn
  const EAGER = 12;  // the first pages load at once, the rest as they come into view

  function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    for (const child of children) node.append(child);
    return node;
  }

  // The first page at least partly in view, and where it stands: after an update it stands there again.
  function place() {
    for (const figure of view.querySelectorAll("figure.page[data-id]")) {
      const box = figure.getBoundingClientRect();
      if (box.bottom > 0) return { id: figure.dataset.id, top: box.top };
    }
    return null;
  }

  function restore(where) {
    if (!where) return;
    for (const figure of view.querySelectorAll("figure.page[data-id]")) {
      if (figure.dataset.id === where.id) {
        window.scrollBy(0, figure.getBoundingClientRect().top - where.top);
        return;
      }
    }
  }

  // Pages that paint the same (blank pages, say) share a URL, and each keeps an <img> of its own.
  function pageImage(page, kept) {
    let image = (images.get(page.src) || []).shift();
    if (!image) {
      image = el("img", { src: page.src, width: Math.round(page.width), height: Math.round(page.height),
                          alt: `page ${page.label || page.number}`,
                          loading: page.number <= EAGER ? "eager" : "lazy", decoding: "async" });
      image.addEventListener("load", () => { image.dataset.loadedAt = String(Date.now()); });
    }
    image.alt = `page ${page.label || page.number}`;
    if (!kept.has(page.src)) kept.set(page.src, []);
    kept.get(page.src).push(image);
    return image;
  }

  function figure(edition, page, kept, changed) {
    const caption = el("figcaption");
    if (page.label) caption.append(page.label);
    else caption.append(el("span", { class: "physical" }, "–"));
    const node = el("figure", { class: "page", "data-id": `${edition.key}/${page.number}`,
                                "data-number": page.number, "data-folio": page.label,
                                title: `${edition.title}: page ${page.number} of the PDF` +
                                       (page.label ? `, folio ${page.label}` : ", no folio") },
                    pageImage(page, kept), caption);
    if (changed) node.classList.add("changed");
    return node;
  }

  // A book in spreads: page 1 a recto alone, then each verso with the recto it faces; in a book bound
  // on the right the recto is the left page (the .rtl row is reversed). A sheet: page after page.
  function groups(edition) {
    const pages = edition.pages;
    if (edition.kind !== "book") return pages.map((page) => [page]);
    const spreads = pages.length ? [[null, pages[0]]] : [];
    for (let i = 1; i < pages.length; i += 2) spreads.push(pages.slice(i, i + 2));
    return spreads;
  }

  function section(edition, kept) {
    // Outlined: a page that is new in an edition already shown (not every page of its first view).
    const known = shown.get(edition.key) || new Set();
    const facts = el("p", { class: "facts" }, `${edition.pages.length} pages`);
    if (edition.kind === "sheet") {
      facts.textContent = "";
      facts.append(el("span", { class: edition.fits === false ? "fit over" : "fit" }, edition.fit));
    }
    const node = el("section", { class: `edition ${edition.kind}`, id: edition.key, "data-key": edition.key },
                    el("h2", {}, edition.title), facts);
    if (edition.errors.length) {
      const stale = el("div", { class: "stale" },
                       edition.pages.length ? "The last build failed: these are the last good pages." :
                                              "Not built yet:");
      for (const line of edition.errors) stale.append(el("pre", { class: "error" }, line));
      node.append(stale);
    }
    const pages = el("div", { class: `pages ${edition.direction}`, dir: "ltr" });
    for (const group of groups(edition)) {
      const spread = el("div", { class: "spread" });
      for (const page of group) {
        spread.append(page ? figure(edition, page, kept, known.size > 0 && !known.has(page.src))
                           : el("figure", { class: "page empty", "aria-hidden": "true" }));
      }
      pages.append(spread);
    }
    node.append(pages);
    return node;
  }

  // What the editions' pages look like: when only the status changed, the pages are left alone.
  const signature = (next) => JSON.stringify(next.editions.map((e) => [e.key, e.title, e.fit, e.errors,
                                                                       e.direction, e.pages.map((p) => p.src)]));
  let drawn = null;
  // Where the pages stand: while it is the same, a new state only swaps the images that changed.
  const standing = (next) => JSON.stringify(next.editions.map((e) => [e.key, e.title, e.fit, e.errors, e.direction,
                                                                      e.pages.map((p) => [p.label, p.width, p.height])]));
  let stood = null;

  function draw(next) {
    status.textContent = next.message;
    status.dataset.status = next.status;
    diagnostics.replaceChildren(...next.errors.map((line) => el("pre", { class: "error" }, line)),
                                ...next.warnings.map((line) => el("pre", { class: "warning" }, line)));
    if (next.more_warnings) diagnostics.append(el("p", { class: "more" },
                                                  `and ${next.more_warnings} more warnings: see the terminal`));
    const pages = signature(next);
    if (pages !== drawn) {
      const where = standing(next);
      if (where === stood) swapPages(next);
      else drawPages(next);
      stood = where;
    }
    drawn = pages;
    document.body.dataset.version = String(next.version);
  }

  function drawPages(next) {
    const where = place();
    const kept = new Map();
    toc.replaceChildren(...next.editions.map((e) => el("a", { href: `#${e.key}` }, e.title)));
    view.replaceChildren(...next.editions.map((edition) => section(edition, kept)));
    shown = new Map(next.editions.map((e) => [e.key, new Set(e.pages.map((p) => p.src))]));
    images = kept;
    restore(where);
  }

  // The same pages in the same places (an edit that moved nothing): each changed image is swapped in
  // its figure, and the rest of a long book's view is left as it is.
  function swapPages(next) {
    const kept = new Map();
    const swaps = [];
    for (const edition of next.editions) {
      const known = shown.get(edition.key) || new Set();
      const figures = view.querySelectorAll(`section[data-key="${CSS.escape(edition.key)}"] figure.page[data-id]`);
      edition.pages.forEach((page, n) => {
        const node = figures[n];
        const old = node.querySelector("img");
        node.classList.toggle("changed", known.size > 0 && !known.has(page.src));
        if (old.getAttribute("src") !== page.src) {
          swaps.push([old, page]);
          return;
        }
        // Kept where it is, so not taken for another page that paints the same (a blank page, say).
        const spare = images.get(page.src) || [];
        if (spare.includes(old)) spare.splice(spare.indexOf(old), 1);
        if (!kept.has(page.src)) kept.set(page.src, []);
        kept.get(page.src).push(old);
      });
    }
    for (const [old, page] of swaps) old.replaceWith(pageImage(page, kept));
    shown = new Map(next.editions.map((e) => [e.key, new Set(e.pages.map((p) => p.src))]));
    images = kept;
  }

  zoom.value = localStorage.getItem("press-preview-zoom") || zoom.value;
  const size = () => document.documentElement.style.setProperty("--page-width", `${zoom.value}px`);
  zoom.addEventListener("change", () => { localStorage.setItem("press-preview-zoom", zoom.value); size(); });
  size();
  draw(state);

  const events = new EventSource("/events");
  events.addEventListener("state", (event) => {
    const next = JSON.parse(event.data);
    if (next.version !== state.version || drawn === null) draw(next);
    state = next;
  });
  events.addEventListener("error", () => {
    status.textContent = "no connection to build.py serve: retrying";
    status.dataset.status = "offline";
  });
})();
