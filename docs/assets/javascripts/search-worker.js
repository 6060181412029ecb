// The theme's search worker, reading queries as the index was read.
//
// Every page names this file as the theme's search worker (the build writes
// it into the page's __config: macros/search.py, use_our_worker), with the
// theme's worker as ?theme=search.<hash>.min.js, next to this file in
// workers/. This file loads that worker, then changes four things, with
// lunr's own functions:
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
// 2. A whole word counts for more than a longer word it begins: each word
//    with a wildcard is searched for as typed too, weighted EXACT times. So
//    "s.4" ("4*") lists the section that defines s.4 before the one that
//    defines s.42A.
// 3. Results that hold more of the query's words come first: the theme
//    marks each result with the words it holds (`terms`); pages are put in
//    order of how many their best result holds, keeping the theme's order
//    among pages that hold as many. So "tracker on car" lists a section on
//    trackers in cars before a page that says "car" alone. The section
//    numbers of a query count as one word between them: "ss.4A-5A" or
//    "ss.360 and 363" asks for either section, not for a page that names
//    both, so each section's defining page is listed first.
// 4. A section that defines a section number of the query (its `defines`
//    field: search.yml) is shown, not folded into "more on this page", so
//    "ss.360-363" shows the sections on s.360 and s.363 though both are on
//    one page. (The theme shows a page's best result and any that score as
//    high; this gives the definition that score.)
//
// The same file runs in the offline copy (file://), where the theme's worker
// runs in a hidden frame (the iframe-worker shim, macros/offline.py): there
// `importScripts` adds a script to the frame and returns a promise, and this
// file's address is its script element's, not the frame's.
(function () {
  "use strict";

  var EXACT = 10;

  var here = self.document && self.document.currentScript ? self.document.currentScript.src : self.location.href;
  // The shim adds "?<time>" to the address, after ours.
  var named = /[?&]theme=(search\.[0-9a-f]+\.min\.js)(?=$|[?&#])/.exec(here);
  if (!named) {
    throw new Error("search-worker.js: ?theme= must name the theme's search worker (search.<hash>.min.js), not " + here);
  }
  var loaded = importScripts(new URL("workers/" + named[1], here).href);
  if (loaded && typeof loaded.then === "function") loaded.then(start); // in a frame
  else start();

  function start() {
    var lunr = self.lunr;

    // The pipeline the index was built with (the theme removes from it what
    // mkdocs.yml leaves out), kept when the index is built.
    var pipeline = null;
    var build = lunr.Builder.prototype.build;
    lunr.Builder.prototype.build = function () {
      pipeline = this.pipeline;
      return build.apply(this, arguments);
    };

    // 1 and 2. Each query word through the index's pipeline, whole words first
    // Every parse of a query passes here: the search itself and the theme's
    // reading of the query for its marks and "Missing:" lines, so both see
    // the same stemmed words.
    var parse = lunr.QueryParser.prototype.parse;
    lunr.QueryParser.prototype.parse = function () {
      var query = parse.apply(this, arguments);
      if (!pipeline) return query;
      var whole = [];
      var kept = query.clauses.filter(function (clause) {
        if ("editDistance" in clause && clause.editDistance) return true; // "word~1": as lunr does it
        var match = /^(\**)(.*?)(\**)$/.exec(clause.term);
        var terms = pipeline.runString(match[2]);
        if (!terms.length) return false; // a stop-word
        clause.term = match[1] + terms[0] + match[3];
        clause.usePipeline = false; // done here, once
        if (match[3] && !match[1] && clause.presence !== lunr.Query.presence.PROHIBITED) {
          whole.push({
            term: terms[0], fields: clause.fields, boost: EXACT * (clause.boost || 1), usePipeline: false,
            wildcard: lunr.Query.wildcard.NONE, presence: lunr.Query.presence.OPTIONAL
          });
        }
        return true;
      });
      var searched = kept.filter(function (c) { return c.presence !== lunr.Query.presence.PROHIBITED; });
      if (searched.length) query.clauses = kept.concat(whole);
      return query;
    };

    // 3. More of the query's words first ------------------------------------
    // How many of the query's words the page's best result holds, all its
    // section numbers ("4a", "360") counting as one. Among pages holding as
    // many, the theme's order (its scores, with the boosts of mkdocs.yml and
    // macros/search.py) stands.
    var NUMBER = /^\d/;
    function held(items) {
      var best = 0;
      items.forEach(function (item) {
        var words = 0, number = 0;
        for (var term in item.terms || {}) {
          if (!item.terms[term]) continue;
          if (NUMBER.test(term)) number = 1;
          else words += 1;
        }
        if (words + number > best) best = words + number;
      });
      return best;
    }

    // 4. Definitions shown -------------------------------------------------
    // The theme shows a page's sections that score as high as its best
    // result (items[0]), in the order given, and folds the rest into "more".
    function defines(item, term) {
      var tokens = String(item.defines || "").replace(/<[^>]*>/g, "").toLowerCase().split(/\s+/);
      return tokens.indexOf(term) !== -1;
    }
    function showDefinitions(items) {
      if (!items.length) return items;
      var top = items[0].score;
      var numbers = [];
      items.forEach(function (item) {
        for (var term in item.terms || {}) if (NUMBER.test(term) && numbers.indexOf(term) === -1) numbers.push(term);
      });
      if (!numbers.length) return items;
      var shown = [], rest = [];
      items.forEach(function (item) {
        var definition = item.location.indexOf("#") !== -1 && numbers.some(function (t) { return defines(item, t); });
        if (item.score >= top) shown.push(item);
        else if (definition) shown.push(Object.assign({}, item, { score: top }));
        else rest.push(item);
      });
      return shown.concat(rest);
    }

    var post = self.postMessage;
    self.postMessage = function (message) {
      if (message && message.type === 3 && message.data && Array.isArray(message.data.items)) {
        var pages = message.data.items.map(function (items, i) { return { items: showDefinitions(items), held: held(items), i: i }; });
        pages.sort(function (a, b) { return b.held - a.held || a.i - b.i; });
        message.data.items = pages.map(function (page) { return page.items; });
      }
      return post.apply(self, arguments);
    };
  }
})();
