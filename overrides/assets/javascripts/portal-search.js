// Portal search (vnportal/search): Pagefind's index for the page's language, fetched only once the
// visitor searches. Without JavaScript the form is inert and the page says so (<noscript>).
const form = document.querySelector("form[data-portal-search]");

if (form) {
  const input = form.querySelector("input[type=search]");
  const status = document.getElementById("portal-search-status");
  const list = document.getElementById("portal-search-results");
  const ui = JSON.parse(form.dataset.ui);
  const plural = new Intl.PluralRules(document.documentElement.lang);
  const limit = 20;
  let pagefind = null;
  let latest = 0;
  let timer = 0;

  const say = (template, count, query) =>
    template.replace("{count}", count.toLocaleString(document.documentElement.lang)).replace("{query}", query);

  // Pagefind's excerpts mark matches with <mark>; keep those and only text, whatever else is there.
  const excerpt = (html) => {
    const out = document.createElement("p");
    const parsed = new DOMParser().parseFromString(html, "text/html");
    for (const node of parsed.body.childNodes) {
      if (node.nodeName === "MARK") {
        const mark = document.createElement("mark");
        mark.textContent = node.textContent;
        out.append(mark);
      } else {
        out.append(node.textContent);
      }
    }
    return out;
  };

  const load = async () => {
    if (!pagefind) {
      pagefind = await import(new URL(form.dataset.bundle + "pagefind.js", document.baseURI).href);
      await pagefind.options({ baseUrl: new URL(form.dataset.root, document.baseURI).pathname });
      await pagefind.init();
    }
    return pagefind;
  };

  const run = async (query) => {
    const ticket = ++latest;
    const url = new URL(location.href);
    if (query) url.searchParams.set("q", query); else url.searchParams.delete("q");
    history.replaceState(null, "", url);
    if (!query) {
      list.replaceChildren();
      status.textContent = "";
      return;
    }
    status.textContent = ui.loading;
    try {
      const engine = await load();
      const search = await engine.search(query);
      const found = await Promise.all(search.results.slice(0, limit).map((result) => result.data()));
      if (ticket !== latest) return; // a newer query is on its way
      const items = found.map((data) => {
        const item = document.createElement("li");
        const link = document.createElement("a");
        link.href = data.url;
        link.textContent = data.meta.title || data.url;
        item.append(link, excerpt(data.excerpt));
        return item;
      });
      list.replaceChildren(...items);
      const count = search.results.length;
      const key = count === 0 ? "none" : `results_${plural.select(count)}`;
      status.textContent = say(ui[key] || ui.results_other, count, query);
    } catch (error) {
      if (ticket === latest) status.textContent = ui.error;
      throw error;
    }
  };

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => run(input.value.trim()), 250);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    run(input.value.trim());
  });
  const initial = new URLSearchParams(location.search).get("q");
  if (initial) {
    input.value = initial;
    run(initial.trim());
  }
}
