// Query page: highlighted editor (a textarea over a <pre>), examples, run, result table,
// download links and permalinks. No external code; works offline.
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const textarea = $("query"), highlight = $("highlight").firstElementChild;
  const examples = JSON.parse($("examples-data").textContent);
  const prefixes = JSON.parse($("prefixes-data").textContent);
  const base = JSON.parse($("base-data").textContent);
  const KEYWORDS = new Set(("select ask construct describe where prefix base from named graph optional union minus filter " +
    "bind values as distinct reduced order by asc desc limit offset group having service silent exists not in a " +
    "count sum avg min max sample group_concat separator str lang langmatches datatype bound iri uri bnode rand " +
    "abs ceil floor round concat strlen ucase lcase encode_for_uri contains strstarts strends strbefore strafter " +
    "year month day hours minutes seconds timezone tz now uuid struuid md5 sha1 sha256 sha384 sha512 coalesce if " +
    "strlang strdt sameterm isiri isuri isblank isliteral isnumeric regex substr replace true false undef").split(" "));
  const TOKEN = /(#[^\n]*)|("""[\s\S]*?"""|'''[\s\S]*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|(<[^<>"{}|^`\\\s]*>)|([?$][\w\u00b7\u0300-\u036f\u203f-\u2040\u00c0-\uffff]+)|([A-Za-z_\u00c0-\uffff][\w.\-\u00c0-\uffff]*)?(:[\w.\-%\u00c0-\uffff]*)|(\b\d+(?:\.\d*)?(?:[eE][+-]?\d+)?\b)|([A-Za-z_]+)/g;
  const escapeHtml = (s) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]));

  function render() {
    const text = textarea.value;
    let out = "", last = 0, m;
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(text)) !== null) {
      if (m[0] === "") { TOKEN.lastIndex++; continue; }
      out += escapeHtml(text.slice(last, m.index));
      let cls = null;
      if (m[1]) cls = "comment"; else if (m[2]) cls = "str"; else if (m[3]) cls = "iri"; else if (m[4]) cls = "var";
      else if (m[6] !== undefined) cls = "pn"; else if (m[7]) cls = "num";
      else if (m[8]) cls = KEYWORDS.has(m[8].toLowerCase()) ? "kw" : null;
      out += cls ? `<span class="tok-${cls}">${escapeHtml(m[0])}</span>` : escapeHtml(m[0]);
      last = m.index + m[0].length;
    }
    highlight.innerHTML = out + escapeHtml(text.slice(last)) + "\n";
    updateLinks();
  }

  function sparqlUrl(format) {
    const params = new URLSearchParams({ query: textarea.value });
    if (format) params.set("format", format);
    return "/sparql?" + params.toString();
  }

  function updateLinks() {
    $("permalink").href = "/query?" + new URLSearchParams({ query: textarea.value }).toString();
    const code = textarea.value.replace(/#[^\n]*/g, "").replace(/"[^"\n]*"|'[^'\n]*'|<[^<>\s]*>/g, "");
    const graph = /\b(CONSTRUCT|DESCRIBE)\b/i.test(code) && !/\b(SELECT|ASK)\b/i.test(code.split(/\b(CONSTRUCT|DESCRIBE)\b/i)[0]);
    for (const a of document.querySelectorAll("a.download")) {
      a.href = sparqlUrl(a.dataset.format);
      a.hidden = (a.dataset.kind === "graph") !== graph;
    }
  }

  function showExample(name) {
    const ex = examples.find((e) => e.name === name);
    if (!ex) return;
    textarea.value = ex.query;
    $("example").value = name;
    $("example-description").textContent = ex.description_zh + " / " + ex.description;
    render();
  }

  function cell(term) {
    const td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      const a = document.createElement("a");
      a.href = term.value;
      let text = term.value;
      for (const [p, iri] of Object.entries(prefixes)) if (text.startsWith(iri) && iri.length > 8) { text = p + ":" + text.slice(iri.length); break; }
      a.textContent = text;
      try { const u = new URL(term.value); if (u.origin === location.origin || term.value.startsWith(base)) a.href = "/" + term.value.slice(base.length); } catch (e) { /* keep */ }
      td.appendChild(a);
    } else {
      td.textContent = term.type === "bnode" ? "_:" + term.value : term.value;
      if (term["xml:lang"]) td.title = "@" + term["xml:lang"];
      else if (term.datatype) td.title = term.datatype;
    }
    return td;
  }

  async function run(event) {
    if (event) event.preventDefault();
    const status = $("status"), results = $("results");
    status.className = ""; status.textContent = "…"; results.innerHTML = "";
    history.replaceState(null, "", $("permalink").href);
    const started = performance.now();
    let response;
    try {
      response = await fetch("/sparql", {
        method: "POST",
        headers: { "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json, text/turtle;q=0.9" },
        body: textarea.value,
      });
    } catch (err) { status.className = "error"; status.textContent = String(err); return; }
    const ms = Math.round(performance.now() - started);
    const body = await response.text();
    if (!response.ok) { status.className = "error"; status.textContent = body; return; }
    const type = response.headers.get("content-type") || "";
    if (!type.includes("json")) {
      const pre = document.createElement("pre"); pre.className = "rdf"; pre.textContent = body; results.appendChild(pre);
      status.textContent = `${response.headers.get("x-result-count") || "?"} triples · ${ms} ms`;
      return;
    }
    const data = JSON.parse(body);
    if ("boolean" in data) { status.textContent = `ASK → ${data.boolean} · ${ms} ms`; return; }
    const vars = data.head.vars, rows = data.results.bindings;
    const table = document.createElement("table");
    const head = table.createTHead().insertRow();
    for (const v of vars) { const th = document.createElement("th"); th.textContent = "?" + v; head.appendChild(th); }
    const tbody = table.createTBody();
    for (const row of rows) { const tr = tbody.insertRow(); for (const v of vars) tr.appendChild(cell(row[v])); }
    results.appendChild(table);
    status.textContent = `${rows.length} rows · ${ms} ms`;
  }

  textarea.addEventListener("input", render);
  textarea.addEventListener("scroll", () => { highlight.parentElement.scrollTop = textarea.scrollTop; });
  $("example").addEventListener("change", (e) => showExample(e.target.value));
  $("query-form").addEventListener("submit", run);
  textarea.addEventListener("keydown", (e) => { if ((e.ctrlKey || e.metaKey) && e.key === "Enter") run(e); });
  const params = new URLSearchParams(location.search);
  if (params.get("example")) showExample(params.get("example"));
  else if (!textarea.value && examples.length) showExample(examples[0].name);
  render();
  if (params.get("query") || params.get("example")) run();
})();
