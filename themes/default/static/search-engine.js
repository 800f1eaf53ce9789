/* 潮闻 search engine: searches the shards of the Pagefind index and merges the results. An ES module shared by
   search-worker.js (off the main thread) and search.js (on it, where module workers are missing).
   `chaowen build` writes one Pagefind bundle per year of the documents (pagefind/2025/ …) and one for pages
   without a date (pagefind/undated/), lists them in pagefind/shards.json, newest year first, undated last, and
   writes Pagefind's script and WebAssembly once, to pagefind/engine/. The script is loaded and the WebAssembly
   compiled once; each bundle is an instance of that one engine, as Pagefind's own mergeIndex makes them, except
   that each is searched on its own, and only when the router (pagefind/routes/) says it can hold the query. */

const UNDATED = "undated";
const ROUTES = "routes";
const ENGINE = "engine";
const MULTIPLIER = 1000003;  // as chaowen/search_router.py buckets a pair
const PREFETCH = 3;  // the most shards a keystroke opens before its search (see prefetch)
const HAN = /\p{Script=Han}/u;
const WORD = /[\p{L}\p{N}]/u;

/* What the reader typed, as the words of the index. `chaowen build` indexes Chinese text one character to a word
   (it puts a zero-width space between characters), so a Chinese word is a phrase of characters; runs of letters
   and digits (5G, AGV, 2025) stay whole, lowercased as Pagefind does. One entry per term, which spaces and
   punctuation separate: {tokens, phrase}, where phrase says that the term must occur as typed (it has Chinese
   characters, or more than one token), not only start a word (as a Latin word being typed does). */
export function queryTerms(text) {
  const terms = [];
  let tokens = [];
  let run = "";
  const endRun = () => {
    if (run) tokens.push(run.toLocaleLowerCase());
    run = "";
  };
  const endTerm = () => {
    endRun();
    if (tokens.length) terms.push({ tokens, phrase: tokens.length > 1 || HAN.test(tokens[0]) });
    tokens = [];
  };
  for (const char of String(text)) {
    if (HAN.test(char)) {
      endRun();
      tokens.push(char);
    } else if (WORD.test(char)) {
      run += char;
    } else {
      endTerm();  // a space or a punctuation mark: 碳纤维，回收 is two terms, as 碳纤维 回收
    }
  }
  endTerm();
  return terms;
}

/* One shard's results: Pagefind's ranked search for every token of every term, kept to the pages where each
   phrase term occurs as typed (Pagefind's exact search, "…", over that term's tokens), and with the pages where the
   whole query occurs as typed first. Pagefind's exact search alone finds but does not rank (every score is 1):
   the ranked search gives the order (title words weigh most, rarer characters more). Searches of one shard run one
   after another, as they share the shard's Pagefind instance; the first one loads the index chunks. */
async function searchShard(pagefind, terms, options) {
  if (!terms.length) return [];
  const words = terms.flatMap((t) => t.tokens);
  const ranked = await pagefind.search(words.join(" "), options);
  // highest score first, as Pagefind's own search() orders an instance's results (a date sort is in the scores)
  let results = ranked ? ranked.results.slice().sort((a, b) => b.score - a.score) : [];
  if (!results.length) return [];
  const exact = { filters: options.filters || {} };
  const phrase = async (tokens) => {
    const found = await pagefind.search(`"${tokens.join(" ")}"`, exact);
    return new Map((found ? found.results : []).map((r) => [r.id, r]));
  };
  for (const term of terms.filter((t) => t.phrase)) {
    const where = await phrase(term.tokens);
    // A lone phrase's own result locates the phrase: its excerpt highlights the words typed, not scattered characters.
    results = results.filter((r) => where.has(r.id)).map((r) => (terms.length === 1 ? { ...r, data: where.get(r.id).data } : r));
  }
  if (terms.length > 1 && results.length > 1) {
    const whole = await phrase(words);
    results = results.map((r) => ({ ...r, together: whole.has(r.id) }));
  }
  return results;
}

/* An engine over the index in the folder `root` (an absolute URL ending in "/pagefind/"), for pages in
   `language`. search(ticket, term, options, count, stale) -> {total, pages}; more(ticket, from, count) -> {pages};
   prefetch(term) starts loading the route and the years that search will need, and answers nothing;
   a page is {url, meta, excerpt}. Only the results shown are unpacked (Pagefind's data()). A search stops, with no
   pages, between its steps once stale() (optional) says a newer search was asked for, or a newer ticket came. */
export function createEngine(root, language) {
  let listing = null;
  let loading = null;
  let current = { ticket: 0, results: [] };

  // The list of shards and the router, with the engine still loading: enough for a keystroke to fetch its route.
  function list() {
    if (!listing) {
      listing = listShards(root);
      listing.catch(() => { listing = null; });
    }
    return listing;
  }

  function load() {
    if (!loading) {
      loading = list().then((listed) => loadShards(root, language, listed));
      // a failed load (offline for a moment) is tried again next time
      loading.catch(() => { loading = listing = null; });
    }
    return loading;
  }

  let newest = 0;
  async function search(ticket, term, options, count, stale) {
    newest = Math.max(newest, ticket);
    const replaced = () => ticket < newest || (stale ? stale() : false);
    const nothing = { total: 0, pages: [], stale: true };
    const { names, open, router } = await load();
    const terms = queryTerms(term);
    const holding = await route(router, terms);
    if (replaced()) return nothing;  // before opening and searching shards, the costly part
    // each shard is searched as soon as it is open, not once they all are
    const chosen = names.filter((name) => !holding || holding.has(name));
    const inShard = async (name) => searchShard((await open(name)).pagefind, terms, options || {});
    const found = await Promise.all(chosen.map(inShard));
    if (replaced()) return nothing;
    const results = merge(chosen, found, options);
    if (ticket >= current.ticket) current = { ticket, results, terms };  // a slower, older search must not win
    return { total: results.length, pages: await pages(results.slice(0, count), terms) };
  }

  /* Start loading what a search for `term` will need, without searching: the route buckets of its pairs of
     characters and, when they name at most PREFETCH shards, those shards' entry and metadata. The search page
     calls it on every keystroke, so that these round trips run while the reader types and during the pause
     before the search. The index chunks are left to the search: a word still being typed (碳纤 of 碳纤维) would
     load the chunks of years the word is not in, and a pair common to many years would open them all. */
  async function prefetch(term) {
    const { names, router } = await list();  // the route's buckets download while the engine compiles
    const holding = await route(router, queryTerms(term));
    if (!holding || holding.size > PREFETCH) return;
    const { open } = await load();
    await Promise.all(names.filter((n) => holding.has(n)).map(open));
  }

  async function more(ticket, from, count) {
    const chosen = ticket === current.ticket ? current.results.slice(from, from + count) : [];
    return { pages: await pages(chosen, current.terms) };
  }

  return { load, search, more, prefetch };
}

/* The names of the shards, the router, and the engine, loading (a promise). */
async function listShards(root) {
  // Revalidated every time (a few bytes): a new year's shard must not wait for a cached list to expire.
  const response = await fetch(new URL("shards.json", root), { cache: "no-cache" });
  if (!response.ok) throw new Error(`${response.url}: HTTP ${response.status}`);
  const listing = await response.json();
  const engine = loadEngine(root, listing.engine || "unknown");
  engine.catch(() => {});  // reported by loadShards, which waits for it
  const folder = new URL(`${ROUTES}/`, root);
  const router = listing.routes ? createRouter(folder, listing.routes, listing.shards, engine) : null;
  return { names: listing.shards, router, engine };
}

/* The list of shards, a function that opens one (once), and the router. With a router, shards are opened when a
   search needs them: a reader who looks for a rare word loads the index of the one or two years that hold it, not
   of every year. Without one (a single shard), every shard is opened now. */
async function loadShards(root, language, { names, router, engine }) {
  const { Instance } = await engine;
  const opened = new Map();
  const open = (name) => {
    if (!opened.has(name)) {
      const shard = openShard(Instance, root, name, language);
      opened.set(name, shard);
      shard.catch(() => opened.delete(name));  // tried again by the next search
    }
    return opened.get(name);
  };
  warmUp(Instance, root, names[names.length - 1], language);
  if (!router) await Promise.all(names.map(open));
  return { names, open, router };
}

/* One search, of a shard of its own, run once the engine is loaded and not waited for. The browser compiles the
   engine's WebAssembly one function at the time it is first called, and the first search paid for it: with a 4x
   CPU slowdown it took 100 to 200 ms more than the next one, between the shard's metadata and its first index
   chunk. Done here, that time is spent while the reader types. The last shard is the one of pages without a date
   (a few KB) when the site has any, and this search has an instance of its own: the reader's never waits for it. */
function warmUp(Instance, root, name, language) {
  openShard(Instance, root, name, language)
    .then(async ({ pagefind }) => {
      await searchShard(pagefind, queryTerms("的是"), {});
      const all = await pagefind.search(null);  // every page: one of them unpacked, as a result is
      if (all && all.results.length) await all.results[0].data();
    })
    .catch(() => {});  // only time is at stake
}

/* Pagefind's script, with its WebAssembly loaded: the class of which each bundle is an instance, and Pagefind's way
   of unpacking its files. Pagefind keeps the WebAssembly in the module, and every instance made after it is loaded
   shares it (what mergeIndex relies on). */
async function loadEngine(root, wasm) {
  const base = new URL(`${ENGINE}/`, root).href;
  const { PagefindInstance } = await import(new URL("pagefind.js", base).href);
  const loader = new PagefindInstance({ basePath: base });
  await loader.loadWasm(wasm);
  return { Instance: PagefindInstance, decompress: (data, url) => loader.decompress(data, url) };
}

/* One bundle as an instance of the engine. Pagefind finds its files from basePath and links results below the
   folder that holds pagefind/ (it cuts basePath at "pagefind"): named here, since a worker has neither <html lang>
   nor the page's address. init() fetches the bundle's entry and metadata. */
async function openShard(Instance, root, name, language) {
  const pagefind = new Instance({ basePath: new URL(`${name}/`, root).href, excerptLength: 40 });
  await pagefind.init(language, { load_wasm: false });
  return { name, pagefind };
}

/* The router: a lookup of which shards hold a pair of Chinese characters, in `count` buckets fetched as needed
   (chaowen/search_router.py writes them). Each bucket is JSON, compressed as Pagefind compresses its files, that
   maps a list of shard numbers ("0,3") to the pairs they hold, one after the other. A bucket is fetched at once
   and unpacked when `engine` (a promise) has loaded. */
function createRouter(folder, count, names, engine) {
  const buckets = new Map();
  const bucket = (number) => {
    if (!buckets.has(number)) {
      const url = new URL(`${number}.pf_route`, folder);
      const loading = Promise.all([fetch(url).then((response) => {
        if (!response.ok) throw new Error(`${response.url}: HTTP ${response.status}`);
        return response.arrayBuffer();
      }), engine]).then(([data, { decompress }]) => {
        const groups = JSON.parse(new TextDecoder().decode(decompress(new Uint8Array(data), url.href)));
        const holders = new Map();
        for (const [key, text] of Object.entries(groups)) {
          const shards = key.split(",").map((n) => names[Number(n)]);
          const chars = Array.from(text);
          for (let i = 0; i + 1 < chars.length; i += 2) holders.set(chars[i] + chars[i + 1], shards);
        }
        return holders;
      });
      buckets.set(number, loading);
      loading.catch(() => buckets.delete(number));
    }
    return buckets.get(number);
  };
  const bucketOf = (a, b) => (a.codePointAt(0) * MULTIPLIER + b.codePointAt(0)) % count;
  return {
    async holding(pairs) {
      const found = await Promise.all(pairs.map(([a, b]) => bucket(bucketOf(a, b)).then((m) => m.get(a + b) || [])));
      return found.reduce((all, shards) => new Set(shards.filter((name) => all.has(name))), new Set(names));
    },
  };
}

/* The names of the shards that can hold every phrase of the query, or null for all of them: the shards that hold
   each pair of neighbouring Chinese characters of each phrase. */
async function route(router, terms) {
  if (!router) return null;
  const pairs = new Map();
  for (const term of terms.filter((t) => t.phrase)) {
    for (let i = 0; i + 1 < term.tokens.length; i++) {
      const [a, b] = [term.tokens[i], term.tokens[i + 1]];
      if (HAN.test(a) && HAN.test(b)) pairs.set(a + b, [a, b]);
    }
  }
  return pairs.size ? router.holding([...pairs.values()]) : null;
}

/* One list from the shards' lists. By relevance: pages that hold the whole query as typed first, then by score,
   highest first (as Pagefind merges indexes itself; equal scores keep shard order). By date: each shard's list is
   already in date order and the shards (`names`) cover years newest first, so the lists are joined in that order,
   or reversed for oldest first; pages without a date come last either way. */
function merge(names, lists, options) {
  const direction = options && options.sort ? Object.values(options.sort)[0] : null;
  if (!direction) return lists.flat().sort((a, b) => (b.together ? 1 : 0) - (a.together ? 1 : 0) || b.score - a.score);
  const dated = lists.filter((_, i) => names[i] !== UNDATED);
  const undated = lists.filter((_, i) => names[i] === UNDATED);
  if (direction === "asc") dated.reverse();
  return [...dated, ...undated].flat();
}

async function pages(results, terms) {
  const data = await Promise.all(results.map((result) => result.data()));
  return data.map((page) => ({ url: page.url, meta: clean(page.meta || {}), excerpt: highlight(page.excerpt, terms) }));
}

/* Metadata without the word boundaries the index holds (a title is also indexed text). */
function clean(meta) {
  return Object.fromEntries(Object.entries(meta).map(([key, value]) => [key, String(value).replace(/\u200b/gu, "")]));
}

/* Pagefind's excerpt (escaped text) with the terms as typed highlighted. Pagefind marks each word it matched, and
   its words are single Chinese characters: the marks are taken out and put around each whole term instead. */
function highlight(excerpt, terms) {
  const text = String(excerpt || "").replace(/\u200b/gu, "").replace(/<\/?mark>/gu, "");
  const patterns = terms.map((t) => t.tokens.map((token) => escapeRegExp(escapeHtml(token))).join("\\s*"));
  if (!patterns.length) return text;
  // An entity (&amp;) is passed over whole, so that a term never splits one.
  const found = new RegExp(`(&[#\\w]+;)|(${patterns.join("|")})`, "giu");
  return text.replace(found, (match, entity) => (entity ? match : `<mark>${match}</mark>`));
}

function escapeHtml(text) {
  return text.replace(/&/gu, "&amp;").replace(/</gu, "&lt;").replace(/>/gu, "&gt;").replace(/"/gu, "&quot;");
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/gu, "\\$&");
}
