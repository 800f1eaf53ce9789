/* 潮闻 search page: full-text search over the Pagefind index that `chaowen build` writes to pagefind/.
   Loaded by search.html only. Reads ?q=&track=&kind=&sort= (the header search box sends ?q=), searches as the
   reader types, and keeps the address in step so a search can be shared. No external requests.
   The engine (search-engine.js: every yearly shard of the index, searched and merged) runs in search-worker.js,
   off the main thread; where module workers are missing it runs here. pagefind/ sits beside static/, so it is
   found from this script's own address under any base path. */
(function () {
  "use strict";
  var PAGE = 10;
  var script = document.currentScript;
  var form = document.getElementById("cw-search-form");
  if (!form || !script) return;
  var input = form.elements.namedItem("q");
  var track = form.elements.namedItem("track");
  var kind = form.elements.namedItem("kind");
  var order = form.elements.namedItem("sort");
  var status = document.getElementById("cw-search-status");
  var list = document.getElementById("cw-search-results");
  var more = document.getElementById("cw-search-more");

  function say(text) { status.textContent = text; }

  // Browsers refuse to let a page opened from a file fetch the index: say so instead of failing silently.
  if (location.protocol === "file:") {
    document.getElementById("cw-search-offline").hidden = false;
    Array.prototype.forEach.call(form.elements, function (el) { el.disabled = true; });
    say("搜索不可用：请通过网站服务器（http:// 或 https:// 开头的网址）打开本站。");
    return;
  }

  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  [track, kind, order].forEach(function (select) {
    var wanted = params.get(select.name) || "";
    if (Array.prototype.some.call(select.options, function (o) { return o.value === wanted; })) select.value = wanted;
  });

  var index = new URL("../pagefind/", script.src).href;
  var engineUrl = new URL(script.dataset.engine, script.src).href;
  var language = (document.documentElement.lang || "unknown").toLowerCase();
  var RETRY = {};  // thrown when the worker could not start: ask the main-thread engine instead

  // An engine answers search(ticket, term, options, count) with {total, pages} and more(ticket, from, count)
  // with {pages}; a page is {url, meta, excerpt}. prefetch(term) starts loading the route and years that search
  // will need and answers nothing.
  function inWorker(url) {
    var worker = new Worker(url, { type: "module" });
    var waiting = {};
    var next = 0;
    function ask(message) {
      message.id = ++next;
      message.engine = engineUrl;
      message.index = index;
      message.language = language;
      return new Promise(function (resolve, reject) {
        waiting[message.id] = { resolve: resolve, reject: reject };
        worker.postMessage(message);
      });
    }
    worker.onmessage = function (event) {
      var answer = event.data;
      var asked = waiting[answer.id];
      delete waiting[answer.id];
      if (asked) (answer.error ? asked.reject(new Error(answer.error)) : asked.resolve(answer));
    };
    worker.onerror = function (event) {  // the worker script itself failed: no module workers here
      event.preventDefault();
      worker.terminate();
      engine = onMainThread();
      Object.keys(waiting).forEach(function (id) { waiting[id].reject(RETRY); });
      waiting = {};
    };
    return {
      load: function () { return ask({ type: "load" }); },
      search: function (ticket, term, opts, count) {
        return ask({ type: "search", ticket: ticket, term: term, options: opts, count: count });
      },
      more: function (ticket, from, count) { return ask({ type: "more", ticket: ticket, from: from, count: count }); },
      prefetch: function (term) {
        worker.postMessage({ type: "prefetch", engine: engineUrl, index: index, language: language, term: term });
      }
    };
  }

  // The same engine as the worker's, imported into the page.
  function onMainThread() {
    var ready = null;
    function started() {
      ready = ready || import(engineUrl).then(function (module) { return module.createEngine(index, language); });
      return ready;
    }
    return {
      load: function () { return started().then(function (e) { return e.load(); }); },
      search: function (ticket, term, opts, count) {
        return started().then(function (e) { return e.search(ticket, term, opts, count); });
      },
      more: function (ticket, from, count) { return started().then(function (e) { return e.more(ticket, from, count); }); },
      prefetch: function (term) {
        started().then(function (e) { return e.prefetch(term); }).catch(function () {});
      }
    };
  }

  var engine = null;
  function searcher() {
    if (!engine) {
      try {
        engine = typeof Worker === "function" ? inWorker(new URL(script.dataset.worker, script.src)) : onMainThread();
      } catch (error) {
        engine = onMainThread();
      }
    }
    return engine;
  }

  var latest = 0;
  var total = 0;

  function options() {
    var filters = {};
    if (track.value) filters.track = track.value;
    if (kind.value) filters.kind = kind.value;
    var opts = { filters: filters };
    if (order.value === "new") opts.sort = { date: "desc" };
    if (order.value === "old") opts.sort = { date: "asc" };
    return opts;
  }

  function remember() {
    var next = new URLSearchParams();
    [input, track, kind, order].forEach(function (el) { if (el.value.trim()) next.set(el.name, el.value.trim()); });
    var query = next.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
  }

  function failed(error) {
    say("搜索出错了，请刷新页面重试。");
    if (window.console) console.warn("chaowen search:", error);
  }

  function run() {
    var term = input.value.trim();
    var ticket = ++latest;
    remember();
    if (!term) {
      list.textContent = "";
      more.hidden = true;
      say(track.value || kind.value ? "请输入要搜索的词语。" : "");
      return;
    }
    say("正在搜索…");
    searcher().search(ticket, term, options(), PAGE).then(function (answer) {
      if (ticket !== latest) return;
      total = answer.total;
      list.textContent = "";
      answer.pages.forEach(function (page) { list.appendChild(render(page)); });
      more.hidden = list.children.length >= total;
      say(total ? "找到 " + total + " 条与“" + term + "”相关的结果。" : "没有找到与“" + term + "”相关的内容。");
    }).catch(function (error) {
      if (error === RETRY) return run();
      if (ticket === latest) failed(error);
    });
  }

  function showMore() {
    var ticket = latest;
    var first = list.children.length;
    searcher().more(ticket, first, PAGE).then(function (answer) {
      if (ticket !== latest) return;
      answer.pages.forEach(function (page) { list.appendChild(render(page)); });
      more.hidden = list.children.length >= total;
      var added = list.children[first];
      if (added) added.querySelector("a").focus();
    }).catch(function (error) {
      if (error === RETRY) return run();
      failed(error);
    });
  }

  function render(page) {
    var meta = page.meta;
    var item = document.createElement("li");
    item.className = "item search-result";
    var heading = document.createElement("h2");
    heading.className = "item-title";
    var link = document.createElement("a");
    link.href = page.url;
    link.textContent = meta.title || page.url;
    heading.appendChild(link);
    item.appendChild(heading);
    var facts = [meta.kind, meta.author, meta.track, meta.date].filter(Boolean);
    if (facts.length) {
      var line = document.createElement("p");
      line.className = "meta";
      facts.forEach(function (fact) {
        var span = document.createElement("span");
        span.textContent = fact;
        line.appendChild(span);
      });
      item.appendChild(line);
    }
    var excerpt = document.createElement("p");
    excerpt.className = "excerpt";
    excerpt.innerHTML = page.excerpt;  // Pagefind's excerpt: the page's text, escaped, with <mark> around matches
    item.appendChild(excerpt);
    return item;
  }

  // A short pause after each keystroke, so that a word typed letter by letter is searched once; nothing while an
  // input method is still composing (pinyin letters are not the query), the search starts when it commits. A lone
  // Chinese character waits longer: it is searched in every year's index (there is no pair of characters to look
  // up in the router), and is most often the first character of a word still being typed. Text that comes whole
  // (an input method's word, a paste) is searched at once. Meanwhile, from the keystroke on, the engine loads what
  // the search will need (the route of its pairs of characters, and the few years it names).
  var LONE = /^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]$/;
  var timer = 0;
  function soon(whole) {
    var term = input.value.trim();
    clearTimeout(timer);
    if (term && !LONE.test(term)) searcher().prefetch(term);
    timer = setTimeout(run, LONE.test(term) ? 300 : whole ? 0 : 60);
  }
  input.addEventListener("input", function (event) {
    if (!event.isComposing) soon(typeof event.data === "string" && Array.from(event.data).length > 1);
  });
  input.addEventListener("compositionend", function () { soon(true); });
  input.addEventListener("focus", function () { searcher().load().catch(function () {}); }, { once: true });
  [track, kind, order].forEach(function (select) { select.addEventListener("change", run); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    run();
  });
  more.addEventListener("click", showMore);
  if (input.value.trim()) run();
})();
