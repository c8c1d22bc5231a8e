/* spasmcare's service worker (served as /sw.js): the emergency page and the learn pages open without
 * a connection after a first visit. It keeps nothing from the diary: only these public pages and the
 * site's own CSS, script and icon. No third-party code. The server fills in __VERSION__, so a new
 * release replaces the old copies.
 */
"use strict";

var CACHE = "spasmcare-__VERSION__";
var KEEP = ["/emergency", "/learn", "/learn/warning-signs", "/learn/glossary"];
var STATIC = __STATIC__;

function keepable(url) {
  if (url.origin !== self.location.origin) { return false; }
  return KEEP.indexOf(url.pathname) !== -1 || url.pathname.indexOf("/learn/") === 0 && url.search === "";
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) { return cache.addAll(KEEP.concat(STATIC)); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) {
        return n.indexOf("spasmcare-") === 0 && n !== CACHE;
      }).map(function (n) { return caches.delete(n); }));
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(caches.match(request).then(function (hit) { return hit || fetch(request); }));
    return;
  }
  if (request.mode !== "navigate") { return; }
  if (keepable(url)) {
    /* Network first, so the page is current; a fresh copy replaces the kept one. */
    event.respondWith(
      fetch(request).then(function (response) {
        if (response.ok) {
          var copy = response.clone();
          caches.open(CACHE).then(function (cache) { cache.put(url.pathname, copy); });
        }
        return response;
      }).catch(function () {
        return caches.match(url.pathname).then(function (hit) { return hit || caches.match("/emergency"); });
      })
    );
    return;
  }
  /* Any other page: the network only; without a connection, the emergency page instead. */
  event.respondWith(fetch(request).catch(function () { return caches.match("/emergency"); }));
});
