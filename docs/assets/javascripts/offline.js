// Reading with no signal (published site only; see docs/sw.js and
// macros/offline_reading.py). No third-party code.
// 1. A page that came from the copy stored on this device says so, with
//    the date it was stored.
// 2. Once the page has loaded (and a few seconds more), register the service worker at the site root
//    and ask it to store the guidance and its search.
(function () {
  "use strict";
  var script = document.currentScript;

  function showStoredCopy() {
    var when = document.documentElement.getAttribute("data-stored-copy");
    var article = document.querySelector("article.md-content__inner");
    if (!when || !article || article.querySelector(".stored-copy")) return;
    var date = new Date(when);
    var text = isNaN(date) ? "an earlier visit" : date.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" }) +
      " at " + date.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
    var note = document.createElement("p");
    note.className = "stored-copy";
    note.setAttribute("role", "status");
    note.textContent = "No connection: you are reading the copy of this page stored on this device on " + text +
      ". Check that the law has not changed before you rely on it.";
    article.insertBefore(note, article.firstChild);
  }
  showStoredCopy();

  if (!("serviceWorker" in navigator) || !/^https?:$/.test(location.protocol) || !script) return;
  var base = new URL("../../", script.src); // this file is at assets/javascripts/
  function register() {
    navigator.serviceWorker.register(new URL("sw.js", base).href).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      if (registration.active) registration.active.postMessage({ type: "store" });
    }).catch(function () { /* no worker: the site still works online */ });
  }
  navigator.serviceWorker.addEventListener("message", function (event) {
    if (event.data && event.data.type === "stored") {
      document.documentElement.setAttribute("data-offline-ready", event.data.complete ? "yes" : "no");
    }
  });
  // Start a few seconds after the load event, when the browser is idle, so
  // that storing the guidance never competes with the page the reader asked
  // for on a slow connection.
  var STORE_AFTER = 3000; // ms after the load event
  function later() {
    setTimeout(function () {
      if (window.requestIdleCallback) window.requestIdleCallback(register, { timeout: 5000 });
      else register();
    }, STORE_AFTER);
  }
  if (document.readyState === "complete") later();
  else window.addEventListener("load", later);
})();
