/* 潮闻 search engine: searches every shard of the Pagefind index and merges the results. An ES module shared by
   search-worker.js (off the main thread) and search.js (on it, where module workers are missing).
   `chaowen build` writes one Pagefind bundle per year of the documents (pagefind/2025/ …) and one for pages
   without a date (pagefind/undated/), and lists them in pagefind/shards.json, newest year first, undated last.
   Each bundle's pagefind.js is imported from its own address, so each is a module instance of its own. */

const UNDATED = "undated";

/* An engine over the index in the folder `root` (an absolute URL ending in "/pagefind/"), for pages in
   `language`. search(ticket, term, options, count) -> {total, pages}; more(ticket, from, count) -> {pages};
   a page is {url, meta, excerpt}. Only the results shown are unpacked (Pagefind's data()). */
export function createEngine(root, language) {
  let loading = null;
  let current = { ticket: 0, results: [] };

  function load() {
    if (!loading) {
      loading = loadShards(root, language);
      loading.catch(() => { loading = null; });  // a failed load (offline for a moment) is tried again next time
    }
    return loading;
  }

  async function search(ticket, term, options, count) {
    const shards = await load();
    const found = await Promise.all(shards.map((shard) => shard.pagefind.search(term, options)));
    const results = merge(shards, found.map((f) => (f ? f.results : [])), options);
    if (ticket >= current.ticket) current = { ticket, results };  // a slower, older search must not win
    return { total: results.length, pages: await pages(results.slice(0, count)) };
  }

  async function more(ticket, from, count) {
    const chosen = ticket === current.ticket ? current.results.slice(from, from + count) : [];
    return { pages: await pages(chosen) };
  }

  return { load, search, more };
}

async function loadShards(root, language) {
  // Revalidated every time (a few bytes): a new year's shard must not wait for a cached list to expire.
  const response = await fetch(new URL("shards.json", root), { cache: "no-cache" });
  if (!response.ok) throw new Error(`${response.url}: HTTP ${response.status}`);
  const names = (await response.json()).shards;
  return Promise.all(names.map(async (name) => {
    const base = new URL(`${name}/`, root).href;
    const pagefind = await import(new URL("pagefind.js", base).href);
    // Pagefind finds its files from basePath and links results below the folder that holds pagefind/
    // (it cuts basePath at "pagefind"): name it, since a worker has neither <html lang> nor the page's address.
    await pagefind.options({ basePath: base, excerptLength: 40, language });
    return { name, pagefind };
  }));
}

/* One list from the shards' lists. By relevance: by score, highest first (as Pagefind merges indexes itself;
   equal scores keep shard order). By date: each shard's list is already in date order and the shards cover
   years newest first, so the lists are joined in that order, or reversed for oldest first; pages without a
   date come last either way. */
function merge(shards, lists, options) {
  const direction = options && options.sort ? Object.values(options.sort)[0] : null;
  if (!direction) return lists.flat().sort((a, b) => b.score - a.score);
  const dated = lists.filter((_, i) => shards[i].name !== UNDATED);
  const undated = lists.filter((_, i) => shards[i].name === UNDATED);
  if (direction === "asc") dated.reverse();
  return [...dated, ...undated].flat();
}

async function pages(results) {
  const data = await Promise.all(results.map((result) => result.data()));
  return data.map((page) => ({ url: page.url, meta: page.meta || {}, excerpt: page.excerpt }));
}
