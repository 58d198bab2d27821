// Print: the date a page is printed, in the page's language, for the line the print stylesheet shows under the
// page's address ("Printed on ..."). The sentence comes from the page (data-printed); nothing else changes.
const article = document.querySelector("article[data-printed]");

function stamp() {
  const date = new Date().toLocaleDateString(document.documentElement.lang, { year: "numeric", month: "long", day: "numeric" });
  article.dataset.printedOn = article.dataset.printed.replace("{date}", date);
}

if (article) {
  stamp();
  addEventListener("beforeprint", stamp);
}
