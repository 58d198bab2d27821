// healthsite dev server: reload after a good build; show the errors of a failed one over the page.
(() => {
  "use strict";
  const served = document.currentScript ? document.currentScript.dataset.build : "";
  let overlay = null;
  let shown = "";  // the problems the overlay shows, so a failed build that fails alike leaves it as it is

  function element(tag, text, style) {
    const node = document.createElement(tag);
    if (text) node.textContent = text;
    Object.assign(node.style, style || {});
    return node;
  }

  function hide() {
    if (overlay) overlay.remove();
    overlay = null;
  }

  function show(problems) {
    if (overlay && overlay.isConnected && shown === JSON.stringify(problems)) return;
    hide();
    shown = JSON.stringify(problems);
    // Opaque, in the reader's colour scheme: the page underneath never shows through.
    const dark = matchMedia("(prefers-color-scheme: dark)").matches;
    const look = dark ? {background: "#1c1010", color: "#f4eded", heading: "#ffb3b3", code: "#2a1a1a"}
      : {background: "#fff", color: "#212b32", heading: "#a4000f", code: "#fbeeee"};
    overlay = element("section", "", {
      position: "fixed", inset: "0", zIndex: "2147483647", overflow: "auto", padding: "2rem",
      background: look.background, color: look.color, colorScheme: dark ? "dark" : "light",
      borderTop: `8px solid ${look.heading}`, font: "16px/1.5 system-ui, sans-serif",
    });
    overlay.id = "healthsite-build-errors";
    overlay.setAttribute("role", "alert");
    overlay.setAttribute("aria-label", "Build errors");
    const list = element("ul", "", {padding: "0", listStyle: "none"});
    for (const problem of problems) {
      const item = element("li", "", {margin: "0.5rem 0"});
      item.append(element("code", problem, {font: "15px/1.4 ui-monospace, monospace", whiteSpace: "pre-wrap",
                                            display: "block", padding: "0.5rem 0.75rem", background: look.code,
                                            color: look.color}));
      list.append(item);
    }
    const close = element("button", "Hide", {font: "inherit", padding: "0.25rem 1rem"});
    close.type = "button";
    close.addEventListener("click", hide);
    overlay.append(
      element("h2", "The site did not build", {margin: "0 0 1rem", color: look.heading}),
      element("p", "This page is the last version that built. Fix these and save: it reloads by itself."),
      list, close);
    document.body.append(overlay);
  }

  function update(status) {
    if (!status.ok) show(status.problems);
    else if (status.build !== served) location.reload();
    else hide();
  }

  // Only visible pages listen, so background tabs do not use up the browser's few connections per server;
  // a page that comes back into view hears the latest status at once (and reloads if it is out of date).
  let source = null;
  function listen() {
    if (document.hidden) {
      if (source) source.close();
      source = null;
    } else if (!source) {
      source = new EventSource("/__healthsite/events");
      source.addEventListener("status", (event) => update(JSON.parse(event.data)));
    }
  }
  document.addEventListener("visibilitychange", listen);
  listen();
})();
