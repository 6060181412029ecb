// Small behaviours the theme lacks. No third-party code; runs under the
// site's content security policy.
(function () {
  // 1. Show the "overdue for review" banner when a page's review date has
  //    passed. The date is compared in the reader's browser, so a page expires
  //    without a rebuild (the approach of the GOV.UK Tech Docs Template).
  function today() {
    var now = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }
  function updateReviewBanners() {
    var banners = document.querySelectorAll(".review-overdue[data-review-due]");
    for (var i = 0; i < banners.length; i++) {
      var due = banners[i].getAttribute("data-review-due");
      banners[i].hidden = !(due && due < today());
    }
  }

  // 2. A table too wide for the screen scrolls sideways. Make that region
  //    reachable and named for keyboard and screen-reader users (WCAG 2.1.1).
  function labelScrollingTables() {
    var wraps = document.querySelectorAll(".md-typeset__scrollwrap");
    for (var i = 0; i < wraps.length; i++) {
      var wrap = wraps[i];
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        wrap.tabIndex = 0;
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", "Table: scroll sideways to see every column");
      } else if (wrap.getAttribute("role") === "region") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    }
  }

  // 3. On narrower screens the navigation is a drawer opened by a label that
  //    the keyboard cannot reach. Offer a button, shown when it has focus
  //    (like the skip link), that opens the drawer and moves focus into it.
  function addNavigationButton() {
    var drawer = document.getElementById("__drawer");
    var skip = document.querySelector(".md-skip");
    if (!drawer || !skip || document.querySelector(".nav-open-button")) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "nav-open-button";
    button.textContent = "Open the navigation";
    button.setAttribute("aria-controls", "__drawer");
    button.addEventListener("click", function () {
      if (!drawer.checked) drawer.click();
      // Focus the first link the reader can see (the drawer opens at the
      // current section; other levels sit off-screen).
      setTimeout(function () {
        var links = document.querySelectorAll(".md-sidebar--primary .md-nav__link[href]");
        for (var i = 0; i < links.length; i++) {
          var box = links[i].getBoundingClientRect();
          var seen = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
          if (box.width > 0 && seen && (seen === links[i] || links[i].contains(seen))) { links[i].focus(); break; }
        }
      }, 300);
    });
    skip.insertAdjacentElement("afterend", button);
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && drawer.checked) {
        drawer.click();
        button.focus();
      }
    });
  }

  // 4. The search results area takes keyboard focus (so that it can be
  //    scrolled) only while it has results: empty, it is invisible.
  function focusSearchResultsOnlyWhenShown() {
    var wrap = document.querySelector(".md-search__scrollwrap");
    var list = document.querySelector(".md-search-result__list");
    if (!wrap || !list || !window.MutationObserver) return;
    var update = function () {
      var empty = !list.children.length;
      wrap.tabIndex = empty ? -1 : 0;
      wrap.classList.toggle("is-empty", empty);  // not scrollable while empty (see guidance.css)
    };
    new MutationObserver(update).observe(list, { childList: true });
    update();
  }

  // 5. "Show under each section" (the items a section delivers): the
  //    reader's choice holds on every page and in print, until changed.
  var TRACE_KEY = "guidance.showTrace";
  function rememberTraceChoice() {
    var boxes = document.querySelectorAll(".trace-toggle__input");
    var apply = function (on) {
      document.documentElement.classList.toggle("show-trace", on);
      for (var i = 0; i < boxes.length; i++) boxes[i].checked = on;
    };
    var stored = false;
    try { stored = window.localStorage.getItem(TRACE_KEY) === "1"; } catch (e) { /* storage blocked */ }
    apply(stored);
    for (var i = 0; i < boxes.length; i++) {
      boxes[i].addEventListener("change", function (event) {
        apply(event.target.checked);
        try { window.localStorage.setItem(TRACE_KEY, event.target.checked ? "1" : "0"); } catch (e) { /* kept for this page only */ }
      });
    }
  }

  function start() {
    rememberTraceChoice();
    addNavigationButton();
    focusSearchResultsOnlyWhenShown();
    updateReviewBanners();
    // Material wraps tables on DOMContentLoaded; run after it.
    setTimeout(labelScrollingTables, 0);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
  window.addEventListener("resize", labelScrollingTables);
})();
