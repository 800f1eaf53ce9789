/* 潮闻 search worker: runs Pagefind off the page's main thread for search.js, so unpacking the index and
   searching it never make the page stutter on a phone. Started as a module worker; every message carries
   an id that its answer repeats, and they are handled in order:
     {id, type: "load", bundle, language}                                   -> {id}
     {id, type: "search", bundle, language, ticket, term, options, count}   -> {id, total, pages: [...]}
     {id, type: "more", ticket, from, count}                                -> {id, pages: [...]}
   where pages are {url, meta, excerpt}; "more" continues the search of that ticket. A failure answers {id, error}. */
let pagefind = null;
let current = { ticket: 0, results: [] };
let queue = Promise.resolve();

async function load(bundle, language) {
  if (!pagefind) {
    const module = await import(bundle);
    // A worker has neither <html lang> nor the page's address, from which Pagefind finds its language and
    // its files on a page: name both. Results then link below the folder that holds pagefind/.
    await module.options({ basePath: new URL("./", bundle).href, excerptLength: 40, language });
    pagefind = module;
  }
  return pagefind;
}

async function pages(results) {
  const data = await Promise.all(results.map((result) => result.data()));
  return data.map((page) => ({ url: page.url, meta: page.meta || {}, excerpt: page.excerpt }));
}

async function handle(message) {
  if (message.type === "load") {
    await load(message.bundle, message.language);
    return {};
  }
  if (message.type === "search") {
    const engine = await load(message.bundle, message.language);
    const found = await engine.search(message.term, message.options);
    current = { ticket: message.ticket, results: found ? found.results : [] };
    return { total: current.results.length, pages: await pages(current.results.slice(0, message.count)) };
  }
  if (message.ticket !== current.ticket) return { pages: [] };
  return { pages: await pages(current.results.slice(message.from, message.from + message.count)) };
}

self.onmessage = (event) => {
  const message = event.data;
  queue = queue.then(() => handle(message)).then(
    (answer) => self.postMessage({ id: message.id, ...answer }),
    (error) => self.postMessage({ id: message.id, error: String(error) }),
  );
};
