// Service worker: the guidance keeps working when the signal drops.
// Registered by assets/javascripts/offline.js on the published site only
// (never under `make serve`, never in the offline zip: macros/offline_reading.py).
//
// - After a page has loaded, the page asks the worker to store every page,
//   the theme's assets and the search index listed in offline-manifest.json.
// - Online, every request goes to the network first, so corrections reach
//   readers at once; pages and the search index are revalidated with the
//   host, never taken from the browser's HTTP cache; each good answer also
//   refreshes the stored copy.
// - When the manifest's version changes (a correction, a new edition or a
//   rollback to an earlier one), every file is stored again and whatever
//   the new manifest no longer lists is dropped.
// - With no connection (or no answer within 8 seconds), the stored copy is
//   used. A stored page is marked with the date it was stored
//   (<html data-stored-copy="...">), which offline.js shows to the reader.
"use strict";

const CACHE = "guidance";
const MANIFEST = "offline-manifest.json";
const VERSION_KEY = "offline-manifest-version";
const TIMEOUT = 8000; // ms without an answer before the stored copy is used
const BASE = new URL("./", self.location).href; // the site root

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "store") {
    event.waitUntil(store().then((result) => {
      if (event.source) event.source.postMessage({ type: "stored", ...result });
    }));
  }
});

function stamped(response, when) {
  const headers = new Headers(response.headers);
  headers.set("x-stored-at", when);
  headers.delete("content-length");
  return response.blob().then((body) => new Response(body, { status: response.status, statusText: response.statusText, headers }));
}

let storing = null;
function store() {
  storing = storing || storeAll().finally(() => { storing = null; });
  return storing;
}

async function storeAll() {
  try {
    const cache = await caches.open(CACHE);
    const manifest = await (await fetch(BASE + MANIFEST, { cache: "no-store" })).json();
    const known = await cache.match(BASE + VERSION_KEY);
    const same = known && (await known.text()) === manifest.version;
    const have = new Set((await cache.keys()).map((request) => request.url));
    const wanted = manifest.files.map((path) => new URL(path, BASE).href).filter((url) => !same || !have.has(url));
    const when = new Date().toISOString();
    let next = 0;
    const worker = async () => {
      while (next < wanted.length) {
        const url = wanted[next++];
        const response = await fetch(url, { cache: "no-cache" });
        if (!response.ok) throw new Error(url + ": " + response.status);
        await cache.put(url, await stamped(response, when));
      }
    };
    await Promise.all([worker(), worker(), worker()]);
    // What this edition no longer has (a page withdrawn, an old asset) is
    // dropped, so that after a rollback a reader offline never opens a page
    // the published site has withdrawn.
    const keep = new Set(manifest.files.map((path) => new URL(path, BASE).href));
    keep.add(BASE + VERSION_KEY);
    for (const request of await cache.keys()) {
      if (!keep.has(request.url)) await cache.delete(request);
    }
    await cache.put(BASE + VERSION_KEY, new Response(manifest.version));
    return { complete: true, version: manifest.version, files: manifest.files.length };
  } catch (error) {
    return { complete: false, error: String(error) };
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !request.url.startsWith(BASE)) return;
  const url = new URL(request.url);
  if (url.pathname.endsWith("/" + MANIFEST) || url.pathname.endsWith("/sw.js")) return;
  event.respondWith(networkFirst(request, url.origin + url.pathname));
});

async function fromStore(key, request) {
  const cache = await caches.open(CACHE);
  const hit = (await cache.match(key)) || (key.endsWith("/") ? null : await cache.match(key + "/"))
    || (key.endsWith("/index.html") ? await cache.match(key.slice(0, -"index.html".length)) : null);
  if (!hit) return null;
  const type = hit.headers.get("content-type") || "";
  if (request.mode !== "navigate" && !type.includes("text/html")) return hit;
  const when = hit.headers.get("x-stored-at") || "";
  const html = (await hit.text()).replace(/<html\b/i, `<html data-stored-copy="${when}"`);
  const headers = new Headers(hit.headers);
  headers.delete("content-length");
  return new Response(html, { status: hit.status, statusText: hit.statusText, headers });
}

// Pages and the search index are asked of the host again every time
// (cache: "no-cache": the browser revalidates, a cheap 304 when nothing has
// changed), so a correction reaches readers at once even where the host lets
// browsers keep files for a while (GitHub Pages: max-age=600). Without it
// the browser's HTTP cache answered first, with the old text, and offline a
// page from that cache carried no "stored copy" notice.
function revalidated(request) {
  const url = new URL(request.url);
  if (request.mode === "navigate" || url.pathname.endsWith(".html") || url.pathname.endsWith("/") || url.pathname.endsWith(".json")) {
    // A copy of the request keeps its redirect mode, so a redirect (to the
    // address with a closing slash) still reaches the page as a redirect.
    return fetch(new Request(request, { cache: "no-cache" }));
  }
  return fetch(request);
}

async function networkFirst(request, key) {
  const network = revalidated(request).then(async (response) => {
    if (response.ok && response.type === "basic") {
      const copy = response.clone();
      caches.open(CACHE).then((cache) => stamped(copy, new Date().toISOString()).then((r) => cache.put(key, r))).catch(() => {});
    }
    return response;
  });
  let timer;
  const late = new Promise((resolve) => { timer = setTimeout(() => resolve("late"), TIMEOUT); });
  try {
    const first = await Promise.race([network, late]);
    if (first !== "late") return first;
    return (await fromStore(key, request)) || (await network);
  } catch (error) {
    const stored = await fromStore(key, request);
    if (stored) return stored;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
