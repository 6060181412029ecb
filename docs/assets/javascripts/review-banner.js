// Show the "overdue for review" banner when a page's review date has passed.
// The date is compared in the reader's browser, so a page expires without a
// rebuild (the approach of the GOV.UK Tech Docs Template).
(function () {
  function today() {
    var now = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }
  function update() {
    var banners = document.querySelectorAll(".review-overdue[data-review-due]");
    for (var i = 0; i < banners.length; i++) {
      var due = banners[i].getAttribute("data-review-due");
      banners[i].hidden = !(due && due < today());
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", update);
  } else {
    update();
  }
})();
