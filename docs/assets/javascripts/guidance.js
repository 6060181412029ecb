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

  function start() {
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
