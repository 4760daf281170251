// Packdesk console: the CSRF header on htmx requests, dates and money in
// the viewer's language and time zone (Intl), and live updates: each
// server-sent "change" makes htmx refetch the page's #live region.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "en";
  function localize(root) {
    root.querySelectorAll("time[datetime]").forEach(function (t) {
      var d = new Date(t.getAttribute("datetime"));
      if (isNaN(d.getTime())) return;
      t.title = t.getAttribute("datetime");
      t.textContent = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" }).format(d);
    });
    root.querySelectorAll("data[data-currency]").forEach(function (m) {
      try {
        m.textContent = new Intl.NumberFormat(lang, { style: "currency", currency: m.dataset.currency }).format(Number(m.value));
      } catch (e) { /* an unknown currency keeps the server's text */ }
    });
  }
  document.addEventListener("htmx:configRequest", function (e) {
    var m = document.querySelector('meta[name="csrf-token"]');
    if (m) e.detail.headers["X-CSRF-Token"] = m.content;
  });
  document.addEventListener("change", function (e) {
    if (e.target.id !== "select-all") return;
    document.querySelectorAll('#pool input[name="id"]').forEach(function (c) { c.checked = e.target.checked; });
  });
  document.addEventListener("htmx:afterSettle", function () { localize(document); });
  document.addEventListener("DOMContentLoaded", function () {
    localize(document);
    if (!document.body.dataset.live || !window.EventSource) return;
    var state = document.getElementById("live-state");
    var es = new EventSource("/events");
    es.addEventListener("open", function () {
      if (state) { state.textContent = state.dataset.liveOn; state.className = "on"; }
    });
    es.addEventListener("error", function () {
      if (state) { state.textContent = state.dataset.liveOff; state.className = ""; }
    });
    // A refresh would drop what the viewer is typing or ticking in the
    // live region: wait until the next change after they are done.
    function busy() {
      var live = document.getElementById("live");
      if (!live) return false;
      if (live.contains(document.activeElement) && /^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement.tagName)) return true;
      return Array.prototype.some.call(live.querySelectorAll("input, select, textarea"), function (i) {
        return (i.type === "checkbox" && i.checked) || (i.type !== "hidden" && i.type !== "checkbox" && i.tagName !== "SELECT" && i.value !== "");
      });
    }
    es.addEventListener("change", function () {
      if (window.htmx && !busy()) htmx.trigger(document.body, "pd:change");
    });
  });
})();
