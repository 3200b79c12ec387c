/* The portal's additions to Decap CMS (loaded before decap-cms.js, which it then starts).
 *
 * 1. Pages live in docs/<language>/<section>/<name>.md; Decap's i18n "multiple_folders" expects the language
 *    folder right above the file. Every backend (GitHub, and the local decap-server) is wrapped so that the
 *    editor sees docs/<language>/<section>.<name>.md while git keeps the portal's layout: one mapping, applied
 *    to every path that crosses the backend boundary.
 * 2. The preview pane renders a page the way the portal does, with the portal's own stylesheets.
 * 3. Images inserted from the media library get a link relative to the page, as the portal's checks require.
 */
"use strict";
window.CMS_MANUAL_INIT = true;

(function () {
  var SEP = ".";
  var script = document.currentScript;

  function layout(config) {
    var locales = (config.i18n && config.i18n.locales) || [];
    var docs = "";
    (config.collections || []).forEach(function (c) { if (c.i18n && c.folder && !docs) docs = c.folder.replace(/\/$/, ""); });
    var prefix = docs + "/";
    function split(path) {
      if (!docs || path.indexOf(prefix) !== 0) return null;
      var rest = path.slice(prefix.length).split("/");
      if (rest.length < 2 || locales.indexOf(rest[0]) < 0) return null;
      return rest;
    }
    return {
      /* docs/vi/news/x.md -> docs/vi/news.x.md (only Markdown pages; media and data pass unchanged) */
      toEditor: function (path) {
        var rest = split(path);
        if (!rest || !/\.md$/.test(path) || rest.slice(1).some(function (p) { return p.indexOf(SEP) >= 0 && !/\.md$/.test(p); })) return path;
        return prefix + rest[0] + "/" + rest.slice(1).join(SEP);
      },
      /* docs/vi/news.x.md -> docs/vi/news/x.md */
      toRepo: function (path) {
        var rest = split(path);
        if (!rest || rest.length !== 2 || !/\.md$/.test(path)) return path;
        var name = rest[1].replace(/\.md$/, "");
        return prefix + rest[0] + "/" + name.split(SEP).join("/") + ".md";
      },
      deep: 12,
      docs: docs,
      publicFolder: (config.public_folder || "").replace(/\/$/, ""),
    };
  }

  function wrap(inner, map) {
    function entries(list) {
      return list.map(function (e) {
        return Object.assign({}, e, { file: Object.assign({}, e.file, { path: map.toEditor(e.file.path) }) });
      });
    }
    var mine = {
      entriesByFolder: function (folder, extension, depth) {
        return inner.entriesByFolder(folder, extension, Math.max(depth, map.deep)).then(entries);
      },
      allEntriesByFolder: inner.allEntriesByFolder && function (folder, extension, depth, pathRegex) {
        var test = pathRegex && { test: function (p) { return pathRegex.test(map.toEditor(p)); } };
        return inner.allEntriesByFolder(folder, extension, Math.max(depth, map.deep), test).then(entries);
      },
      entriesByFiles: function (files) {
        return inner.entriesByFiles(files.map(function (f) { return Object.assign({}, f, { path: map.toRepo(f.path) }); })).then(entries);
      },
      getEntry: function (path) {
        return inner.getEntry(map.toRepo(path)).then(function (e) { return entries([e])[0]; });
      },
      persistEntry: function (entry, options) {
        var dataFiles = (entry.dataFiles || []).map(function (f) {
          var path = map.toRepo(f.path);
          var out = Object.assign({}, f, { path: path, raw: relativeMedia(f.raw, path, map.docs, map.publicFolder) });
          if (f.newPath) out.newPath = map.toRepo(f.newPath);
          return out;
        });
        return inner.persistEntry(Object.assign({}, entry, { dataFiles: dataFiles }), options);
      },
      deleteFiles: function (paths, message) {
        return inner.deleteFiles(paths.map(map.toRepo), message);
      },
      unpublishedEntry: function (args) {
        return inner.unpublishedEntry(args).then(function (u) {
          return Object.assign({}, u, { diffs: (u.diffs || []).map(function (d) { return Object.assign({}, d, { path: map.toEditor(d.path) }); }) });
        });
      },
      unpublishedEntryDataFile: function (collection, slug, path, id) {
        return inner.unpublishedEntryDataFile(collection, slug, map.toRepo(path), id);
      },
      traverseCursor: inner.traverseCursor && function (cursor, action) {
        return inner.traverseCursor(cursor, action).then(function (r) { return Object.assign({}, r, { entries: entries(r.entries) }); });
      },
    };
    return new Proxy(inner, {
      get: function (target, prop) {
        if (Object.prototype.hasOwnProperty.call(mine, prop) && mine[prop]) return mine[prop];
        var value = target[prop];
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  }

  /* ](/assets/media/x.jpg) written into docs/vi/news/x.md becomes ](../../assets/media/x.jpg): the portal's
     checks and MkDocs resolve images relative to the page. */
  function relativeMedia(raw, repoPath, docs, publicFolder) {
    if (!publicFolder || typeof raw !== "string") return raw;
    var depth = repoPath.slice(docs.length + 1).split("/").length - 1;
    var up = new Array(depth + 1).join("../");
    return raw.split("](" + publicFolder + "/").join("](" + up + publicFolder.replace(/^\//, "") + "/");
  }

  function start() {
    var CMS = window.CMS;
    var h = window.h;
    ["github", "proxy"].forEach(function (name) {
      var registered = CMS.getBackend(name);
      var init = registered.init;
      registered.init = function (config, options) {
        return wrap(init(config, options), layout(config));
      };
    });
    var attribute = function (name) { return (script.getAttribute(name) || "").split(" ").filter(Boolean); };
    attribute("data-preview-styles").forEach(function (href) { CMS.registerPreviewStyle(href); });
    var Page = function (props) {
      var data = props.entry.get("data");
      var get = function (key) { return (data && data.get(key)) || ""; };
      return h("div", { className: "md-main" },
        h("article", { className: "md-content__inner md-typeset" },
          h("h1", null, get("title")),
          get("date") ? h("p", { className: "portal-cms-date" }, String(get("date"))) : null,
          h("p", { className: "portal-cms-description" }, get("description")),
          props.widgetFor("body")));
    };
    attribute("data-page-collections").forEach(function (name) { CMS.registerPreviewTemplate(name, Page); });
    CMS.init();
  }

  document.addEventListener("DOMContentLoaded", start);
})();
