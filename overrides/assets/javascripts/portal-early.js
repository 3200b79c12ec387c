/* Loaded before Material's bundle. Material looks for a sitemap.xml beside every hreflang alternate of the
   page (XMLHttpRequest), and those are the public site's absolute addresses: served from any other address
   (a preview, a staging host, loopback), each lookup would be a request to another origin, which the
   Content-Security-Policy refuses (an error in the console on every page). Such lookups go to this site's
   own sitemap instead, which lists every language's pages with their alternates. */
(function () {
  "use strict";
  var open = XMLHttpRequest.prototype.open;
  function ownSitemap() {
    var config = document.getElementById("__config");
    var base = config ? JSON.parse(config.textContent).base : ".";
    return new URL(base.replace(/\/?$/, "/") + "sitemap.xml", location.href).href;
  }
  XMLHttpRequest.prototype.open = function (method, address) {
    var args = Array.prototype.slice.call(arguments);
    try {
      var url = new URL(String(address), location.href);
      if (url.origin !== location.origin && /\/sitemap\.xml$/.test(url.pathname)) {
        args[1] = ownSitemap();
      }
    } catch (error) {
      /* not an address this script needs to read: the request stays as it is */
    }
    return open.apply(this, args);
  };
})();
