// Search page: runs the query in ?q= (or typed in the form) against the Pagefind index built with the site.
// Loaded as a module file, so a strict Content-Security-Policy works ('wasm-unsafe-eval' lets Pagefind run).
const form = document.querySelector(".search-form");
const input = document.getElementById("search-query");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const MAX_RESULTS = 20;
let engine = null;

document.getElementById("search-notice").hidden = true;

async function pagefind() {
  if (!engine) {
    engine = await import(form.dataset.pagefind);
    await engine.options({ baseUrl: form.dataset.base });
  }
  return engine;
}

// Pagefind's excerpt is escaped text with <mark> around the matches: keep only text and marks.
function excerpt(html) {
  const paragraph = document.createElement("p");
  paragraph.className = "search-result__excerpt";
  for (const node of new DOMParser().parseFromString(html, "text/html").body.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      paragraph.append(mark);
    } else {
      paragraph.append(node.textContent);
    }
  }
  return paragraph;
}

function result(data) {
  const item = document.createElement("li");
  item.className = "search-result";
  const heading = document.createElement("h2");
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  heading.append(link);
  item.append(heading, excerpt(data.excerpt));
  return item;
}

async function run(query) {
  list.replaceChildren();
  if (!query.trim()) {
    status.textContent = "";
    return;
  }
  status.textContent = "Searching…";
  let found;
  try {
    const search = await (await pagefind()).search(query);
    found = await Promise.all(search.results.slice(0, MAX_RESULTS).map((hit) => hit.data()));
  } catch {
    status.textContent = "Search is not available right now. Please browse the topics instead.";
    return;
  }
  const articles = found.length === 1 ? "1 article" : `${found.length} articles`;
  status.textContent = found.length ? `${articles} found for “${query}”.` : `No articles found for “${query}”.`;
  list.append(...found.map(result));
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const url = new URL(location.href);
  url.searchParams.set("q", input.value);
  history.replaceState(null, "", url);
  run(input.value);
});

const initial = new URLSearchParams(location.search).get("q");
if (initial) {
  input.value = initial;
  run(initial);
}
