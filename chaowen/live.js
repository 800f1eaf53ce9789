// The live script of `chaowen serve`, injected into every previewed HTML response (never into files).
// The server fills in the CONFIG placeholder below: events URL, base path, build token, served file, texts.
// It reloads the page only when its own file changed, swaps changed stylesheets in place, shows build
// problems in an overlay (shadow DOM, text only), and reconnects after the server restarts.
(function () {
  "use strict";
  var C = __CONFIG__;
  if (window.__chaowenLive) return;
  window.__chaowenLive = true;
  var token = C.token, source = null, broken = false, overlay = null, badge = null;
  var retryTimer = 0, hideTimer = 0, badgeTimer = 0;
  var scrollKey = "chaowen-scroll:" + location.pathname;

  // "/chaowen/essays/x/" -> "essays/x/index.html": the output file a URL path is served from.
  function sitePath(pathname) {
    var p = pathname;
    try { p = decodeURIComponent(pathname); } catch (e) {}
    if (p.indexOf(C.base) === 0) p = p.slice(C.base.length);
    else if (p + "/" === C.base) p = "";
    else return null;
    if (p === "" || p.charAt(p.length - 1) === "/") p += "index.html";
    return p;
  }
  function pathOf(url) {
    try {
      var u = new URL(url, location.href);
      return u.origin === location.origin ? sitePath(u.pathname) : null;
    } catch (e) { return null; }
  }
  function has(list, value) { return value !== null && list.indexOf(value) >= 0; }
  function isMine(list) { return has(list, C.page) || has(list, sitePath(location.pathname)); }
  function reload() {
    try { sessionStorage.setItem(scrollKey, String(window.scrollY)); } catch (e) {}
    location.reload();
  }
  function restoreScroll() {
    var y = null;
    try { y = sessionStorage.getItem(scrollKey); sessionStorage.removeItem(scrollKey); } catch (e) {}
    if (y !== null) window.scrollTo(0, Number(y));
  }

  // A page that loads a changed file other than a stylesheet (image, script, icon) reloads. Links it
  // only points to (<a>, <link rel="alternate"> to the feed, canonical) do not count.
  var LOADED = "[src],[poster],object[data],link[href][rel~=icon],link[href][rel~=preload]," +
    "link[href][rel~=modulepreload],link[href][rel~=manifest]";
  function uses(list) {
    var found = false;
    document.querySelectorAll(LOADED).forEach(function (el) {
      ["src", "poster", "data", "href"].forEach(function (name) {
        var value = el.getAttribute(name);
        if (value && has(list, pathOf(value))) found = true;
      });
    });
    return found;
  }
  function swap(link) {
    var url = new URL(link.href, location.href);
    url.searchParams.set("chaowen-reload", String(Date.now()));
    var fresh = link.cloneNode(false);
    fresh.href = url.href;
    var done = function () { if (link.parentNode) link.parentNode.removeChild(link); };
    fresh.addEventListener("load", done);
    fresh.addEventListener("error", done);
    link.parentNode.insertBefore(fresh, link.nextSibling);
  }
  // Changed stylesheets are swapped in place: no reload, scroll position and page state stay.
  function swapStyles(list) {
    var links = Array.prototype.slice.call(document.querySelectorAll('link[rel~="stylesheet"][href]'));
    var seen = [];
    links.forEach(function (link) {
      var p = pathOf(link.href);
      if (has(list, p)) { seen.push(p); swap(link); }
    });
    if (list.some(function (p) { return seen.indexOf(p) < 0; })) {  // imported by another sheet
      links.forEach(function (link) { if (pathOf(link.href) !== null && !has(seen, pathOf(link.href))) swap(link); });
    }
  }

  function ui(id, css) {
    var host = document.createElement("div");
    host.id = id;
    host.setAttribute("style", "all:initial");
    var root = host.attachShadow({ mode: "open" });
    var style = document.createElement("style");
    style.textContent = css;
    root.appendChild(style);
    return { host: host, root: root };
  }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
    return node;
  }
  var OVERLAY_CSS = ":host{all:initial}" +
    ".panel{position:fixed;z-index:2147483647;top:0;left:0;right:0;max-height:70vh;overflow:auto;" +
    "box-sizing:border-box;padding:16px 20px;background:#fff5f5;color:#1f2328;border-bottom:4px solid #c62828;" +
    "box-shadow:0 4px 24px rgba(0,0,0,.25);font:15px/1.6 system-ui,'PingFang SC','Microsoft YaHei',sans-serif}" +
    "header{display:flex;align-items:center;gap:12px}.title{flex:1;font-weight:700;font-size:17px;color:#b71c1c}" +
    "button{font:inherit;padding:2px 12px;border:1px solid #b71c1c;border-radius:4px;background:#fff;" +
    "color:#b71c1c;cursor:pointer}.note{margin:6px 0 10px;color:#555}ol{margin:0;padding-left:1.5em}" +
    "li{margin:0 0 10px}.place{font-family:ui-monospace,Consolas,monospace;font-size:14px;color:#6a1b9a;" +
    "word-break:break-all}.message{font-weight:600}.hint{color:#444}.warning .message{color:#8a5a00}";
  var BADGE_CSS = ":host{all:initial}.badge{position:fixed;z-index:2147483647;right:12px;bottom:12px;" +
    "padding:6px 12px;border-radius:6px;background:#333;color:#fff;" +
    "font:13px/1.5 system-ui,'PingFang SC','Microsoft YaHei',sans-serif;opacity:.9}";

  function showProblems(state) {
    broken = true;
    if (overlay && overlay.host.parentNode) overlay.host.parentNode.removeChild(overlay.host);
    overlay = ui("chaowen-overlay", OVERLAY_CSS);
    var panel = el("div", "panel");
    panel.setAttribute("role", "alert");
    panel.setAttribute("lang", C.lang);
    var header = el("header");
    header.appendChild(el("div", "title", state.title));
    var close = el("button", "", C.text.close);
    close.type = "button";
    close.addEventListener("click", function () { overlay.host.style.display = "none"; });
    header.appendChild(close);
    panel.appendChild(header);
    panel.appendChild(el("p", "note", C.text.note));
    var list = el("ol");
    state.errors.forEach(function (problem) {
      var item = el("li", "problem " + problem.severity);
      item.appendChild(el("div", "place", problem.place));
      item.appendChild(el("div", "message", problem.message));
      if (problem.hint) item.appendChild(el("div", "hint", problem.hint));
      list.appendChild(item);
    });
    panel.appendChild(list);
    overlay.root.appendChild(panel);
    (document.body || document.documentElement).appendChild(overlay.host);
  }
  function offline() {
    if (badge) return;
    badge = ui("chaowen-offline", BADGE_CSS);
    badge.root.appendChild(el("div", "badge", C.text.offline));
    (document.body || document.documentElement).appendChild(badge.host);
  }
  function online() {
    clearTimeout(badgeTimer);
    badgeTimer = 0;
    if (badge && badge.host.parentNode) badge.host.parentNode.removeChild(badge.host);
    badge = null;
  }

  function onHello(state) {
    online();
    if (state.errors.length) { showProblems(state); return; }
    if (broken || state.token !== token) reload();  // fixed, or rebuilt, while this tab was away
  }
  function onUpdate(state) {
    if (state.errors.length) { showProblems(state); return; }
    if (broken) { reload(); return; }
    token = state.token;
    if (isMine(state.pages) || isMine(state.removed) || uses(state.other) || uses(state.removed)) {
      reload();
      return;
    }
    if (state.css.length) swapStyles(state.css);
  }

  function connect() {
    clearTimeout(retryTimer);
    clearTimeout(hideTimer);
    if (source) return;
    var es = source = new EventSource(C.events);
    es.addEventListener("hello", function (e) { onHello(JSON.parse(e.data)); });
    es.addEventListener("update", function (e) { onUpdate(JSON.parse(e.data)); });
    es.onerror = function () {
      if (source !== es) return;
      if (!badgeTimer) badgeTimer = setTimeout(offline, 1500);  // not reset by each failed retry
      if (es.readyState === 2) {  // CLOSED: the browser gave up; keep trying ourselves
        es.close();
        source = null;
        retryTimer = setTimeout(connect, 1000);
      }
    };
  }
  function disconnect() {
    clearTimeout(retryTimer);
    if (source) { source.close(); source = null; }
  }
  // Hidden tabs let go of their stream (browsers allow few connections per server); back in view,
  // the hello tells them whether they missed something.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") hideTimer = setTimeout(disconnect, 10000);
    else connect();
  });
  window.addEventListener("pagehide", disconnect);
  window.addEventListener("pageshow", function (e) { if (e.persisted) connect(); });
  window.addEventListener("load", restoreScroll);
  if (document.visibilityState !== "hidden") connect();
})();
