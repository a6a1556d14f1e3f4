/* l10n review: index filters and sorting; article keyboard navigation and reader view. No network, no eval. */
(function () {
  "use strict";
  var d = document;

  function ready(fn) {
    if (d.readyState !== "loading") fn(); else d.addEventListener("DOMContentLoaded", fn);
  }

  function typing(event) {
    var t = event.target;
    return event.ctrlKey || event.metaKey || event.altKey ||
      (t && (t.tagName === "INPUT" || t.tagName === "SELECT" || t.tagName === "TEXTAREA" || t.isContentEditable));
  }

  /* ---- index ---- */
  function initIndex() {
    var table = d.getElementById("articles");
    if (!table) return;
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var lang = d.getElementById("f-lang"), state = d.getElementById("f-state");
    var errors = d.getElementById("f-errors"), todo = d.getElementById("f-todo");
    var text = d.getElementById("f-text"), shown = d.getElementById("shown");

    function apply() {
      var q = text.value.trim().toLowerCase(), n = 0;
      rows.forEach(function (r) {
        var ok = (!lang.value || r.dataset.lang === lang.value) &&
          (!state.value || r.dataset.catalog === state.value || r.dataset.output === state.value) &&
          (!errors.checked || Number(r.dataset.errors) > 0 || Number(r.dataset.flagged) > 0) &&
          (!todo.checked || r.dataset.complete === "0") &&
          (!q || (r.dataset.title + " " + r.dataset.path).toLowerCase().indexOf(q) >= 0);
        r.hidden = !ok;
        if (ok) n += 1;
      });
      shown.textContent = n + " of " + rows.length + " shown";
    }
    [lang, state, errors, todo].forEach(function (el) { el.addEventListener("change", apply); });
    text.addEventListener("input", apply);
    d.getElementById("filters").addEventListener("submit", function (e) { e.preventDefault(); });

    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      th.querySelector("button").addEventListener("click", function () {
        var key = th.dataset.sort, num = th.dataset.type === "num";
        var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
        rows.sort(function (a, b) {
          var x = a.dataset[key], y = b.dataset[key];
          var c = num ? Number(x) - Number(y) : x.localeCompare(y);
          return c * dir || a.dataset.path.localeCompare(b.dataset.path);
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
    apply();
  }

  /* ---- article ---- */
  function initArticle() {
    var segs = Array.prototype.slice.call(d.querySelectorAll("#segments .seg[id]"));
    var reader = d.getElementById("reader"), main = d.getElementById("segments");
    var toggle = d.getElementById("toggle-reader"), only = d.getElementById("only-problems");
    var current = -1;

    function visible() { return segs.filter(function (s) { return !s.hidden; }); }

    function go(el) {
      if (!el) return;
      current = segs.indexOf(el);
      el.focus({ preventScroll: true });
      el.scrollIntoView({ block: "center" });
      try { history.replaceState(null, "", "#" + el.id); } catch (e) { /* some browsers refuse on file:// */ }
    }

    function step(delta, problemsOnly) {
      if (reader && !reader.hidden) showReader(false);
      var list = visible(), at = list.indexOf(segs[current]);
      if (at < 0) {
        at = delta > 0 ? -1 : list.length;
        if (current >= 0) {  // the current one is hidden: start from its position
          at = list.filter(function (s) { return segs.indexOf(s) < current; }).length - (delta > 0 ? 1 : 0);
        }
      }
      for (var i = at + delta; i >= 0 && i < list.length; i += delta) {
        if (!problemsOnly || list[i].dataset.problem === "1") { go(list[i]); return; }
      }
    }

    function showReader(on) {
      if (!reader) return;
      reader.hidden = !on;
      main.hidden = on;
      d.body.classList.toggle("reading", on);
      toggle.setAttribute("aria-pressed", on ? "true" : "false");
      toggle.textContent = on ? "Segments view" : "Reader view";
    }

    segs.forEach(function (s, i) {
      s.addEventListener("focus", function () { current = i; });
      s.addEventListener("click", function (e) { if (!e.target.closest("a")) current = i; });
    });
    if (toggle) toggle.addEventListener("click", function () { showReader(reader.hidden); });
    var next = d.getElementById("next-problem");
    if (next) next.addEventListener("click", function () { step(1, true); });
    if (only) only.addEventListener("change", function () {
      segs.forEach(function (s) { s.hidden = only.checked && s.dataset.problem !== "1"; });
    });

    d.addEventListener("keydown", function (e) {
      if (typing(e)) return;
      switch (e.key) {
        case "j": step(1, false); break;
        case "k": step(-1, false); break;
        case "n": step(1, true); break;
        case "p": step(-1, true); break;
        case "r": showReader(reader.hidden); break;
        default: return;
      }
      e.preventDefault();
    });

    if (location.hash === "#reader") showReader(true);
    else if (location.hash.length > 1) {
      var target = d.getElementById(location.hash.slice(1));
      if (target && segs.indexOf(target) >= 0) current = segs.indexOf(target);
    }
  }

  ready(function () {
    if (d.body.classList.contains("index")) initIndex(); else initArticle();
  });
})();
