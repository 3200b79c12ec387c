/* Loaded before Material's bundle. Material looks for a sitemap.xml beside every hreflang alternate of the
   page (XMLHttpRequest): five requests for one page, and, when the site is served from another address than
   the public one (a preview, a staging host, loopback), requests to another origin that the Content-Security-
   Policy refuses (an error in the console on every page). Every such lookup goes to this site's own sitemap,
   which lists every language's pages with their alternates: one address, fetched once. */
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
      if (/\/sitemap\.xml$/.test(url.pathname)) {
        args[1] = ownSitemap();
      }
    } catch (error) {
      /* not an address this script needs to read: the request stays as it is */
    }
    return open.apply(this, args);
  };
})();
