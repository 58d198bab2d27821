// Search page: results for the query in ?q=, updated as the reader types (debounced) and on submit, from the
// Pagefind index built with the site. The query stays in the URL so results can be shared and Back works.
// Loaded as a module file, so a strict Content-Security-Policy works ('wasm-unsafe-eval' lets Pagefind run).
const form = document.querySelector("form.search-form[data-pagefind]");
const input = form.querySelector("input[name=q]");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const suggestions = document.getElementById("search-suggestions");
const meant = document.getElementById("search-meant");
const meantList = meant.querySelector("ul");
const titles = [...document.querySelectorAll("#search-titles a")];
const MAX_RESULTS = 20;
const DEBOUNCE_MS = 250;
const ELLIPSIS = "…";
const LEAD = 40; // characters of text kept before the first match
let engine = null;
let latest = 0;
let timer = 0;

document.getElementById("search-notice").hidden = true;

async function pagefind() {
  if (!engine) {
    engine = await import(form.dataset.pagefind);
    await engine.options({ baseUrl: form.dataset.base });
  }
  return engine;
}

function squash(text) {
  return text.replace(/\s+/g, " ").trim();
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  node.className = className;
  if (text) node.textContent = text;
  return node;
}

// Pagefind's excerpt is escaped text with <mark> around the matches: keep only text and marks, and add an
// ellipsis at each end where the excerpt cuts the page's text.
function excerpt(html, content) {
  const paragraph = element("p", "search-result__excerpt");
  const nodes = [...new DOMParser().parseFromString(html, "text/html").body.childNodes];
  const text = squash(nodes.map((node) => node.textContent).join(""));
  const whole = squash(content || "");
  const first = nodes.findIndex((node) => node.nodeName === "MARK");
  let lead = first > 0 ? nodes.slice(0, first).map((node) => node.textContent).join("") : "";
  // The result shows two lines at most: start a few words before the first match, so the match is shown.
  const cut = lead.length > LEAD ? lead.indexOf(" ", lead.length - LEAD) : -1;
  if (cut >= 0) lead = lead.slice(cut + 1);
  if (cut >= 0 || !whole.startsWith(text)) paragraph.append(ELLIPSIS);
  nodes.forEach((node, index) => {
    if (node.nodeName === "MARK") paragraph.append(...marked(node.textContent));
    else if (index < first) { if (index === first - 1) paragraph.append(lead); }
    else paragraph.append(node.textContent);
  });
  if (!whole.endsWith(text)) paragraph.append(ELLIPSIS);
  return paragraph;
}

// A mark holds a whole word: punctuation Pagefind marked with it ("cadence," or "(NSAIDs)") stays outside.
function marked(text) {
  const [, before, word, after] = text.match(/^([^\p{L}\p{N}]*)(.*?)([^\p{L}\p{N}]*)$/su);
  return [before, word ? element("mark", "", word) : "", after].filter((part) => part !== "");
}

// One result: the title, then one short paragraph: the excerpt where the query matched the text, else the
// description (a match only in the title or the hidden search terms, data.meta.terms, has no useful excerpt).
function result(data) {
  const item = element("li", "search-result");
  const heading = document.createElement("h2");
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  heading.append(link);
  item.append(heading);
  const shown = excerpt(data.excerpt, data.content);
  const prose = (data.content || "").replace(data.meta.terms || "\u0000", "").toLocaleLowerCase();
  const inProse = [...shown.querySelectorAll("mark")].some((mark) => prose.includes(mark.textContent.toLocaleLowerCase()));
  if (!inProse && data.meta.description) {
    item.append(element("p", "search-result__excerpt", data.meta.description));
  } else {
    item.append(shown);
  }
  return item;
}

// "Did you mean": when nothing is found, the article titles nearest the query (each query word within a small
// edit distance of a word of the title).
function distance(a, b) {
  let row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length];
}

function words(text) {
  return text.toLocaleLowerCase().normalize("NFD").replace(/\p{M}/gu, "").match(/[\p{L}\p{N}]+/gu) || [];
}

function nearest(query) {
  const asked = words(query).filter((word) => word.length >= 4);
  const scored = [];
  for (const link of titles) {
    const own = words(link.textContent);
    let score = 0;
    for (const word of asked) {
      const best = Math.min(...own.map((other) => distance(word, other.slice(0, word.length + 2))));
      if (best <= Math.max(1, Math.floor(word.length / 4))) score += 1;
    }
    if (score) scored.push([score, link]);
  }
  return scored.sort((a, b) => b[0] - a[0]).slice(0, 3).map(([, link]) => link);
}

function suggest(query) {
  const near = nearest(query);
  meant.hidden = near.length === 0;
  meantList.replaceChildren(...near.map((link) => {
    const item = document.createElement("li");
    const copy = document.createElement("a");
    copy.href = link.getAttribute("href");
    copy.textContent = link.textContent;
    item.append(copy);
    return item;
  }));
}

// Only the newest query may write its results, however long an older one takes.
async function run(query) {
  const ticket = ++latest;
  suggestions.hidden = true;
  meant.hidden = true;
  if (!query.trim()) {
    list.replaceChildren();
    status.textContent = "";
    return;
  }
  status.textContent = form.dataset.searching || "Searching…";
  let found;
  try {
    const search = await (await pagefind()).search(query);
    found = await Promise.all(search.results.slice(0, MAX_RESULTS).map((hit) => hit.data()));
  } catch {
    if (ticket === latest) status.textContent = form.dataset.failed || "Search is not available right now. Please browse the topics instead.";
    return;
  }
  if (ticket !== latest) return;
  status.textContent = said(found.length, query);
  list.replaceChildren(...found.map(result));
  suggestions.hidden = found.length > 0;
  if (found.length === 0) suggest(query);
}

// The status line in the page's language: the search form carries its sentences, with {count} and {query}.
function said(count, query) {
  const key = count === 0 ? "foundNone" : count === 1 ? "foundOne" : "foundMany";
  const english = { foundNone: "No articles found for “{query}”.", foundOne: "1 article found for “{query}”.",
    foundMany: "{count} articles found for “{query}”." }[key];
  return (form.dataset[key] || english).replace("{count}", String(count)).replace("{query}", query);
}

function queryInUrl() {
  return new URLSearchParams(location.search).get("q") || "";
}

// The URL follows the query. Refining the shown query (typing on, or deleting back) updates the same history
// entry; a different query gets a new entry, so Back returns to the results before it. Clearing the box
// leaves the URL as it is.
function remember(query) {
  const shown = queryInUrl();
  if (!query || query === shown) return;
  const refining = !shown || query.startsWith(shown) || shown.startsWith(query);
  const url = new URL(location.href);
  url.searchParams.set("q", query);
  history[refining ? "replaceState" : "pushState"]({ q: query }, "", url);
}

function update() {
  const query = input.value.trim();
  remember(query);
  run(query);
}

input.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(update, DEBOUNCE_MS);
});

form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(timer);
  update();
});

window.addEventListener("popstate", () => {
  clearTimeout(timer);
  input.value = queryInUrl();
  run(input.value);
});

input.value = queryInUrl();
if (input.value) run(input.value);
