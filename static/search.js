// Search page: results for the query in ?q=, updated as the reader types (debounced) and on submit, from the
// Pagefind index built with the site. The query stays in the URL so results can be shared and Back works.
// Loaded as a module file, so a strict Content-Security-Policy works ('wasm-unsafe-eval' lets Pagefind run).
const form = document.querySelector("form.search-form[data-pagefind]");
const input = form.querySelector("input[name=q]");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const suggestions = document.getElementById("search-suggestions");
const MAX_RESULTS = 20;
const DEBOUNCE_MS = 250;
const ELLIPSIS = "…";
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
  if (!whole.startsWith(text)) paragraph.append(ELLIPSIS);
  for (const node of nodes) {
    if (node.nodeName === "MARK") paragraph.append(element("mark", "", node.textContent));
    else paragraph.append(node.textContent);
  }
  if (!whole.endsWith(text)) paragraph.append(ELLIPSIS);
  return paragraph;
}

function result(data) {
  const item = element("li", "search-result");
  const heading = document.createElement("h2");
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  heading.append(link);
  item.append(heading);
  if (data.meta.topic) {
    const topic = element("p", "search-result__topic");
    topic.append(element("span", "visually-hidden", `${form.dataset.topic || "Topic:"} `), data.meta.topic);
    item.append(topic);
  }
  if (data.meta.description) item.append(element("p", "search-result__description", data.meta.description));
  item.append(excerpt(data.excerpt, data.content));
  return item;
}

// Only the newest query may write its results, however long an older one takes.
async function run(query) {
  const ticket = ++latest;
  suggestions.hidden = true;
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
