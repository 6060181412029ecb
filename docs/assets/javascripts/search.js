// Search that answers, and a light first visit. Loaded in <head>, before the
// theme's bundle (mkdocs.yml: extra.polyfills). No third-party code; runs
// under the site's content security policy.
//
// 1. The theme fetches the search index (about 80 KB compressed) as soon as
//    a page loads. Hold that request until the reader opens search, or
//    arrives from a search result (?h=...), which highlights the page.
// 2. Prepare each query as the index was prepared (macros/search.py): plain
//    quotes, apostrophes and hyphens; "art. 8", "r.31.3", "para. 5",
//    "reg. 4", "Sch. 1" (and "Article 8", "rule 31.3", "Schedule 1") become
//    one required token, so "art. 8" does not match every "8".
// 3. Show each result as the sentence that holds the match, not the whole
//    section: at most about three lines on a phone.
(function () {
  "use strict";

  // 1. Hold the index request ------------------------------------------------
  var INDEX = /(^|\/)search\/search_index\.json(\?|#|$)/;
  var held = [];
  var released = location.protocol === "file:" || /[?&]h=/.test(location.search);
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url) {
    this.__guidanceIndex = INDEX.test(String(url));
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    if (this.__guidanceIndex && !released) {
      held.push([this, arguments]);
      return undefined;
    }
    return send.apply(this, arguments);
  };
  function release() {
    if (released) return;
    released = true;
    held.splice(0).forEach(function (request) { send.apply(request[0], request[1]); });
  }
  // The reader opens search: the box takes the focus (click, tap, "/", "s" or
  // "f"), or the search toggle is switched on.
  document.addEventListener("focusin", function (event) {
    if (event.target && event.target.matches && event.target.matches(".md-search__input")) release();
  }, true);
  document.addEventListener("change", function (event) {
    if (event.target && event.target.id === "__search" && event.target.checked) release();
  }, true);
  document.addEventListener("click", function (event) {
    if (event.target && event.target.closest && event.target.closest('label[for="__search"]')) release();
  }, true);
  window.__guidanceSearch = { release: release, held: function () { return held.length; } };

  // 2. Prepare each query ----------------------------------------------------
  var CHARACTERS = {
    "\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'",
    "\u201c": "\"", "\u201d": "\"", "\u201e": "\"", "\u2033": "\"",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2212": "-",
    "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u00ad": ""
  };
  var CHARACTER = new RegExp("[" + Object.keys(CHARACTERS).join("") + "]", "g");
  // Kept in step with CITATION_KINDS in macros/search.py.
  var YEAR = "(?!(?:19|20)\\d\\d\\b)";
  var CITATIONS = [
    ["r", new RegExp("(^|[^\\w.])(?:r\\.|[Rr]ule\\b)\\s?" + YEAR + "(\\d+(?:\\.\\d+)*)", "g")],
    ["para", new RegExp("\\b(?:paras?\\.|paragraph\\b)\\s?" + YEAR + "(\\d+[A-Za-z]*)", "gi")],
    ["art", new RegExp("\\b(?:arts?\\.|article\\b)\\s?" + YEAR + "(\\d+[A-Za-z]*)", "gi")],
    ["reg", new RegExp("\\b(?:regs?\\.|regulation\\b)\\s?" + YEAR + "(\\d+[A-Za-z]*)", "gi")],
    ["sch", new RegExp("\\b(?:sch\\.|schedule\\b)\\s?" + YEAR + "(\\d+[A-Za-z]*)", "gi")]
  ];
  function normalise(text) {
    return text.replace(CHARACTER, function (c) { return CHARACTERS[c]; });
  }
  function prepare(query) {
    var out = normalise(query);
    CITATIONS.forEach(function (kind) {
      out = out.replace(kind[1], function () {
        var args = arguments;
        if (kind[0] === "r") return args[1] + " +r" + args[2] + " ";
        return " +" + kind[0] + args[1].toLowerCase() + " ";
      });
    });
    // A case study's id, which the separator would split: "CS-07" -> cs07
    // (the `item` and `keys` fields of macros/search.py).
    out = out.replace(/\bcs[-\s]?(\d{2})\b/gi, " +cs$1 ");
    // A section written with a space: "s 4A", "ss. 4", "section 4A",
    // "sections 4 and 4A" -> "4A". The separator (mkdocs.yml) drops "s",
    // "s.", "ss" and "§" when a number follows at once, in pages and
    // queries alike; a word and a space it cannot see, as the theme splits
    // the query into words first.
    out = out.replace(/(^|[^\w.+])(?:ss?\.?|sections?)\s+(?=\d)/gi, "$1");
    return out.replace(/\s+/g, " ").trim();
  }
  window.__guidanceSearch.prepare = prepare;

  // The theme posts {type: 2, data: query} to its search worker. Patch the
  // browser's own Worker.prototype.postMessage (the deepest one), so that
  // anything else wrapping Worker still sees the query as typed.
  var proto = window.Worker && window.Worker.prototype;
  var native = null;
  for (var p = proto; p; p = Object.getPrototypeOf(p)) {
    if (Object.prototype.hasOwnProperty.call(p, "postMessage")) native = p;
  }
  if (native) {
    var post = native.postMessage;
    native.postMessage = function (message) {
      if (message && message.type === 2 && typeof message.data === "string") {
        var args = Array.prototype.slice.call(arguments);
        args[0] = { type: 2, data: prepare(message.data) };
        return post.apply(this, args);
      }
      return post.apply(this, arguments);
    };
  }

  // 3. Short excerpts --------------------------------------------------------
  var MAX = 140; // characters: about three lines at 360 pixels
  var BLOCK = /^(P|LI|UL|OL|TABLE|TR|TD|TH|DIV|H\d|DT|DD|BLOCKQUOTE|PRE)$/;
  // Full stops that do not end a sentence: citations and abbreviations.
  var NOT_AN_END = /(?:^|[\s(])(?:ss?|r|rr|paras?|arts?|regs?|sch|v|no|nos|e\.g|i\.e|etc|cf|[A-Z])\.$/i;

  // The text of an excerpt's nodes as one string, with the marked ranges and
  // the block boundaries (which always end a sentence).
  function flatten(nodes) {
    var text = "", marks = [], breaks = [];
    function walk(node, inMark) {
      if (node.nodeType === 3) {
        var value = node.nodeValue.replace(/\s+/g, " ");
        if (inMark) marks.push([text.length, text.length + value.length]);
        text += value;
        return;
      }
      if (node.nodeType !== 1) return;
      var block = BLOCK.test(node.tagName);
      if (block && text && !/\s$/.test(text)) text += " ";
      var mark = inMark || node.tagName === "MARK";
      for (var c = node.firstChild; c; c = c.nextSibling) walk(c, mark);
      if (block) { breaks.push(text.length); if (!/\s$/.test(text)) text += " "; }
    }
    nodes.forEach(function (n) { walk(n, false); });
    return { text: text, marks: marks, breaks: breaks };
  }

  function sentences(flat) {
    var out = [], start = 0, text = flat.text, ends = flat.breaks.slice();
    var re = /[.!?]["')\]]?\s+(?=["'(\[]?[A-Z0-9])/g, m;
    while ((m = re.exec(text))) {
      var upTo = text.slice(Math.max(0, m.index - 12), m.index + 1);
      if (!NOT_AN_END.test(upTo)) ends.push(m.index + m[0].length);
    }
    ends.push(text.length);
    ends.sort(function (a, b) { return a - b; }).forEach(function (end) {
      if (end > start) {
        if (text.slice(start, end).trim()) out.push([start, end]);
        start = end;
      }
    });
    return out;
  }

  function excerpt(flat) {
    var spans = sentences(flat);
    if (!spans.length) return null;
    var first = flat.marks.length ? flat.marks[0][0] : -1;
    var span = spans[0];
    for (var i = 0; i < spans.length && first >= 0; i++) {
      if (first >= spans[i][0] && first < spans[i][1]) { span = spans[i]; break; }
    }
    var from = span[0], to = span[1];
    while (from < to && /\s/.test(flat.text[from])) from++;
    while (to > from && /\s/.test(flat.text[to - 1])) to--;
    var before = false, after = false;
    if (to - from > MAX) {
      var centre = first >= from && first < to ? first : from;
      var start = Math.max(from, centre - Math.floor(MAX / 3));
      var end = Math.min(to, start + MAX);
      start = Math.max(from, end - MAX);
      if (start > from) { var sp = flat.text.indexOf(" ", start); if (sp > 0 && sp < centre) start = sp + 1; before = true; }
      if (end < to) { var ep = flat.text.lastIndexOf(" ", end); if (ep > start + MAX / 2) end = ep; after = true; }
      from = start; to = end;
    }
    return { from: from, to: to, before: before, after: after };
  }

  function render(article) {
    if (article.hasAttribute("data-excerpt")) return;
    var parts = Array.prototype.filter.call(article.childNodes, function (n) {
      return !(n.nodeType === 1 && (/^H\d$/.test(n.tagName) || n.matches(".md-search-result__icon, .md-tags, .md-search-result__terms")));
    });
    article.setAttribute("data-excerpt", "");
    var flat = flatten(parts);
    if (!flat.text.trim()) return;
    var cut = excerpt(flat);
    if (!cut) return;
    var p = document.createElement("p");
    p.className = "search-excerpt";
    if (cut.before) p.appendChild(document.createTextNode("\u2026 "));
    var at = cut.from;
    flat.marks.forEach(function (m) {
      var s = Math.max(m[0], cut.from), e = Math.min(m[1], cut.to);
      if (s >= e || s < at) return;
      if (s > at) p.appendChild(document.createTextNode(flat.text.slice(at, s)));
      var mark = document.createElement("mark");
      mark.textContent = flat.text.slice(s, e);
      p.appendChild(mark);
      at = e;
    });
    if (at < cut.to) p.appendChild(document.createTextNode(flat.text.slice(at, cut.to)));
    if (cut.after) p.appendChild(document.createTextNode(" \u2026"));
    var anchor = parts.length ? parts[0] : null;
    article.insertBefore(p, anchor);
    parts.forEach(function (n) { if (n.parentNode === article) article.removeChild(n); });
  }

  function watchResults() {
    var list = document.querySelector(".md-search-result__list");
    if (!list || !window.MutationObserver) return;
    var update = function () {
      Array.prototype.forEach.call(list.querySelectorAll("article.md-search-result__article:not([data-excerpt])"), render);
    };
    new MutationObserver(update).observe(list, { childList: true, subtree: true });
    update();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watchResults);
  else watchResults();
})();
