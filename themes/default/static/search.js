/* 潮闻 search page: full-text search over the Pagefind index that `chaowen build` writes to pagefind/.
   Loaded by search.html only. Reads ?q=&track=&kind=&sort= (the header search box sends ?q=), searches as the
   reader types, and keeps the address in step so a search can be shared. No external requests.
   pagefind/ sits beside static/, so it is found from this script's own address under any base path. */
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

  var bundle = new URL("../pagefind/pagefind.js", script.src).href;
  var loading = null;
  function pagefind() {
    if (!loading) {
      loading = import(bundle).then(function (module) {
        return module.options({ excerptLength: 40 }).then(function () { return module; });
      });
    }
    return loading;
  }

  var latest = 0;
  var results = [];
  var shown = 0;

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
    pagefind().then(function (module) {
      return module.search(term, options());
    }).then(function (found) {
      if (ticket !== latest || !found) return;
      results = found.results;
      shown = 0;
      if (!results.length) {
        list.textContent = "";
        say("没有找到与“" + term + "”相关的内容。");
        more.hidden = true;
        return;
      }
      return showMore(ticket).then(function () {
        if (ticket === latest) say("找到 " + results.length + " 条与“" + term + "”相关的结果。");
      });
    }).catch(function (error) {
      if (ticket !== latest) return;
      say("搜索出错了，请刷新页面重试。");
      if (window.console) console.warn("chaowen search:", error);
    });
  }

  function showMore(ticket) {
    var first = shown === 0;
    var batch = results.slice(shown, shown + PAGE);
    shown += batch.length;
    more.hidden = shown >= results.length;
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (pages) {
      if (ticket !== latest) return;
      if (first) list.textContent = "";
      pages.forEach(function (page) { list.appendChild(render(page)); });
    });
  }

  function render(page) {
    var meta = page.meta || {};
    var item = document.createElement("li");
    item.className = "item search-result";
    var heading = document.createElement("h2");
    heading.className = "item-title";
    var link = document.createElement("a");
    link.href = page.url;
    link.textContent = meta.title || page.url;
    heading.appendChild(link);
    item.appendChild(heading);
    var facts = [meta.kind, meta.track, meta.date].filter(Boolean);
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

  var timer = 0;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, 200);
  });
  input.addEventListener("focus", function () { pagefind(); }, { once: true });
  [track, kind, order].forEach(function (select) { select.addEventListener("change", run); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    run();
  });
  more.addEventListener("click", function () {
    var first = list.children.length;
    showMore(latest).then(function () {
      var next = list.children[first];
      if (next) next.querySelector("a").focus();
    });
  });
  if (input.value.trim()) run();
})();
