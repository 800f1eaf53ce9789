/* 潮闻 search worker: runs the search engine (search-engine.js, over every shard of the Pagefind index) off the
   page's main thread for search.js, so unpacking the index and searching it never make the page stutter on a
   phone. Started as a module worker; every message carries an id that its answer repeats, and they are handled
   in order (but "prefetch", which only starts the downloads a search for the term will need, at once):
     {id, type: "load", engine, index, language}                                   -> {id}
     {id, type: "search", engine, index, language, ticket, term, options, count}   -> {id, total, pages: [...]}
     {id, type: "more", engine, index, language, ticket, from, count}              -> {id, pages: [...]}
     {type: "prefetch", engine, index, language, term}                             -> no answer
   where engine is the address of search-engine.js, index that of the pagefind/ folder, pages are
   {url, meta, excerpt}, and "more" continues the search of that ticket. A failure answers {id, error}.
   A search that a newer one replaced is answered with no pages, at once if it had not started, or at the engine's
   next step: the reader has typed on, and the page shows only the newest search. */
let engine = null;
let queue = Promise.resolve();
let newest = 0;  // the id of the newest search asked for

function start(message) {
  if (!engine) {
    // The engine's address comes from the page, with the content hash that keeps a cached copy from going stale.
    engine = import(message.engine).then(({ createEngine }) => createEngine(message.index, message.language));
    engine.catch(() => { engine = null; });
  }
  return engine;
}

async function handle(message) {
  const searcher = await start(message);
  if (message.type === "load") {
    await searcher.load();
    return {};
  }
  if (message.type === "search") {
    const stale = () => message.id < newest;  // a newer search came while this one ran
    if (stale()) return { total: 0, pages: [], stale: true };
    return searcher.search(message.ticket, message.term, message.options, message.count, stale);
  }
  return searcher.more(message.ticket, message.from, message.count);
}

self.onmessage = (event) => {
  const message = event.data;
  if (message.type === "prefetch") {  // not queued, not answered: it only starts downloads
    start(message).then((searcher) => searcher.prefetch(message.term)).catch(() => {});
    return;
  }
  if (message.type === "search") newest = message.id;
  queue = queue.then(() => handle(message)).then(
    (answer) => self.postMessage({ id: message.id, ...answer }),
    (error) => self.postMessage({ id: message.id, error: String(error) }),
  );
};
