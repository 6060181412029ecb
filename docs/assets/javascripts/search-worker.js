// The theme's search worker, reading queries as the index was read.
//
// search.js starts this file in place of the theme's worker, whose address
// it passes as ?theme=... This file loads that worker, then changes two
// things, with lunr's own functions:
//
// 1. Every word of a query goes through the index's own pipeline (trimmer,
//    stop-word filter, Porter stemmer: mkdocs.yml, plugins: search:
//    pipeline), so "harassed" looks up "harass" and "stalkers" "stalker".
//    The theme gives every word a trailing wildcard (results as you type),
//    and lunr skips the pipeline for any term with a wildcard: before this,
//    no query word was stemmed, and "on*" matched "online" and "one". The
//    wildcard is kept, on the stem: "harassed*" -> "harass*", "hara*" ->
//    "hara*". A stop-word ("on", "which") is left out of the query, unless
//    the query holds nothing else.
// 2. Results that hold more of the query's words come first: the theme
//    marks each result with the words it holds (`terms`); pages are put in
//    order of how many their best result holds, keeping the theme's order
//    among pages that hold as many. So "tracker on car" lists a section on
//    trackers in cars before a page that says "car" alone.
//
// Not used in the offline copy (file://), whose worker runs in a frame: there
// the index is built without the stemmer (macros/hooks.py).
(function () {
  "use strict";

  var theme = new URL(self.location.href).searchParams.get("theme");
  var address = theme && new URL(theme, self.location.href);
  if (!address || address.origin !== self.location.origin || !/\/workers\/search\.[0-9a-f]+\.min\.js$/.test(address.pathname)) {
    throw new Error("search-worker.js: ?theme= must name the theme's search worker on this site, not " + theme);
  }
  importScripts(address.href);
  var lunr = self.lunr;

  // The pipeline the index was built with (the theme removes from it what
  // mkdocs.yml leaves out), kept when the index is built.
  var pipeline = null;
  var build = lunr.Builder.prototype.build;
  lunr.Builder.prototype.build = function () {
    pipeline = this.pipeline;
    return build.apply(this, arguments);
  };

  // 1. Each query word through the index's pipeline ------------------------
  // Every parse of a query passes here: the search itself and the theme's
  // reading of the query for its marks and "Missing:" lines, so both see
  // the same stemmed words.
  var parse = lunr.QueryParser.prototype.parse;
  lunr.QueryParser.prototype.parse = function () {
    var query = parse.apply(this, arguments);
    if (!pipeline) return query;
    var kept = query.clauses.filter(function (clause) {
      if ("editDistance" in clause && clause.editDistance) return true; // "word~1": as lunr does it
      var match = /^(\**)(.*?)(\**)$/.exec(clause.term);
      var terms = pipeline.runString(match[2]);
      if (!terms.length) return false; // a stop-word
      clause.term = match[1] + terms[0] + match[3];
      clause.usePipeline = false; // done here, once
      return true;
    });
    var searched = kept.filter(function (c) { return c.presence !== lunr.Query.presence.PROHIBITED; });
    if (searched.length) query.clauses = kept;
    return query;
  };

  // 2. More of the query's words first --------------------------------------
  // How many of the query's words the page's best result holds. Among pages
  // holding as many, the theme's order (its scores, with the boosts of
  // mkdocs.yml and macros/search.py) stands.
  function held(items) {
    var best = 0;
    items.forEach(function (item) {
      var n = 0;
      for (var term in item.terms || {}) if (item.terms[term]) n += 1;
      if (n > best) best = n;
    });
    return best;
  }
  var post = self.postMessage;
  self.postMessage = function (message) {
    if (message && message.type === 3 && message.data && Array.isArray(message.data.items)) {
      var pages = message.data.items.map(function (items, i) { return { items: items, held: held(items), i: i }; });
      pages.sort(function (a, b) { return b.held - a.held || a.i - b.i; });
      message.data.items = pages.map(function (page) { return page.items; });
    }
    return post.apply(self, arguments);
  };
})();
