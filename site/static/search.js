/* Offline search over the prebuilt index (search-index.js sets window.KG_SEARCH).
   Chinese has no spaces: an entry matches when it contains the query as a substring, or shares
   most of the query's character bigrams (so 医保基金 finds 医疗保障基金 partially). */
(function () {
  "use strict";
  var MAX = 100;
  function norm(s) { return (s || "").normalize("NFKC").toLowerCase().replace(/\s+/g, ""); }
  function bigrams(s) {
    var out = {};
    if (s.length === 1) { out[s] = true; }
    for (var i = 0; i + 1 < s.length; i++) { out[s.substr(i, 2)] = true; }
    return out;
  }
  function score(entry, q, qgrams, qcount) {
    var text = entry._n || (entry._n = norm(entry[0] + " " + entry[1] + " " + entry[4]));
    var title = norm(entry[0]);
    if (title === q) { return 1000; }
    if (title.indexOf(q) >= 0) { return 500 - Math.min(title.length, 400); }
    if (text.indexOf(q) >= 0) { return 200 - Math.min(text.length, 150) / 10; }
    if (qcount < 2) { return 0; }
    var tg = entry._g || (entry._g = bigrams(text));
    var hits = 0;
    for (var g in qgrams) { if (tg[g]) { hits++; } }
    var ratio = hits / qcount;
    return ratio >= 0.6 ? 100 * ratio : 0;
  }
  function highlight(el, text, q) {
    var i = q ? text.toLowerCase().indexOf(q) : -1;
    if (i >= 0) {
      el.appendChild(document.createTextNode(text.slice(0, i)));
      var mk = document.createElement("mark");
      mk.textContent = text.slice(i, i + q.length);
      el.appendChild(mk);
      el.appendChild(document.createTextNode(text.slice(i + q.length)));
    } else {
      el.textContent = text;
    }
  }
  function run() {
    var data = window.KG_SEARCH;
    var input = document.getElementById("q");
    var list = document.getElementById("search-results");
    var status = document.getElementById("search-status");
    if (!data || !input || !list) { return; }
    var params = new URLSearchParams(window.location.search);
    var raw = params.get("q") || "";
    input.value = raw;
    var q = norm(raw);
    list.textContent = "";
    if (!q) { status.textContent = ""; return; }
    var qgrams = bigrams(q), qcount = Object.keys(qgrams).length, found = [];
    for (var i = 0; i < data.entries.length; i++) {
      var s = score(data.entries[i], q, qgrams, qcount);
      if (s > 0) { found.push([s, i]); }
    }
    found.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
    status.textContent = "";
    if (found.length) {
      status.textContent = found.length + " · " + raw;
    } else {
      status.appendChild(document.getElementById("no-results").content.cloneNode(true));
    }
    for (var k = 0; k < Math.min(found.length, MAX); k++) {
      var e = data.entries[found[k][1]];
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = e[3];
      highlight(a, e[0], raw.trim().toLowerCase());
      li.appendChild(a);
      if (e[1] && e[1] !== e[0]) {
        var en = document.createElement("span");
        en.className = "l en alt"; en.lang = "en"; en.textContent = " " + e[1];
        li.appendChild(en);
      }
      var kind = data.kinds[e[2]];
      var kd = document.createElement("span");
      kd.className = "kind";
      kd.textContent = kind[0] + " / " + kind[1];
      li.appendChild(kd);
      if (e[4]) {
        var ctx = document.createElement("span");
        ctx.className = "ctx"; ctx.textContent = e[4];
        li.appendChild(ctx);
      }
      list.appendChild(li);
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", run); } else { run(); }
})();
