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
      defaultLocale: (config.i18n && config.i18n.default_locale) || locales[0],
      hashLength: Number(script.getAttribute("data-hash-length")) || 16,
      localeOf: function (path) {
        var rest = split(path);
        return rest ? rest[0] : null;
      },
      publicFolder: (config.public_folder || "").replace(/\/$/, ""),
    };
  }

  function wrap(inner, map) {
    function entries(list) {
      return list.map(function (e) {
        return Object.assign({}, e, { file: Object.assign({}, e.file, { path: map.toEditor(e.file.path) }) });
      });
    }
    /* A translation whose text was written or changed in this save records the original it matches, as
       `make stamp` does: translation: {source: vi, source_hash: <vnportal.translations.body_hash>}. */
    function stamped(file, original) {
      var locale = map.localeOf(file.path);
      if (!original || !locale || locale === map.defaultLocale) return Promise.resolve(file);
      return inner.getEntry(file.path).then(function (e) { return e && e.data; }, function () { return null; }).then(function (before) {
        if (typeof before === "string" && normalised(body(before)) === normalised(body(file.raw))) return file;
        return sha256(normalised(body(original.raw))).then(function (hex) {
          return Object.assign({}, file, { raw: withTranslation(file.raw, map.defaultLocale, hex.slice(0, map.hashLength)) });
        });
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
        var files = (entry.dataFiles || []).filter(function (f) { return !skeleton(f.raw); }).map(function (f) {
          var path = map.toRepo(f.path);
          var out = Object.assign({}, f, { path: path, raw: relativeMedia(f.raw, path, map.docs, map.publicFolder) });
          if (f.newPath) out.newPath = map.toRepo(f.newPath);
          return out;
        });
        var original = files.filter(function (f) { return map.localeOf(f.path) === map.defaultLocale; })[0];
        return Promise.all(files.map(function (f) { return stamped(f, original); })).then(function (dataFiles) {
          return inner.persistEntry(Object.assign({}, entry, { dataFiles: dataFiles }), options);
        });
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

  var FRONT_MATTER = /^---[ \t]*\n([\s\S]*?\n)(?:\.{3}|-{3})[ \t]*\n/;  /* vnportal.frontmatter.FRONT_MATTER_RE */

  function body(raw) {
    var match = FRONT_MATTER.exec(raw);
    return match ? raw.slice(match[0].length) : raw;
  }

  function normalised(text) {  /* as vnportal.translations.body_hash: NFC, whitespace runs as one space */
    return text.normalize("NFC").replace(/\s+/g, " ").trim();
  }

  function sha256(text) {
    return crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)).then(function (digest) {
      return Array.prototype.map.call(new Uint8Array(digest), function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
    });
  }

  function withTranslation(raw, source, hash) {
    var match = FRONT_MATTER.exec(raw);
    if (!match) return raw;
    var lines = match[1].split("\n"), kept = [], inside = false;
    lines.forEach(function (line) {
      if (/^translation:/.test(line)) { inside = true; return; }
      if (inside && /^[ \t]/.test(line)) return;
      inside = false;
      kept.push(line);
    });
    var block = kept.join("\n").replace(/\n*$/, "\n") + "translation: {source: " + source + ", source_hash: " + hash + "}\n";
    return "---\n" + block + "---\n" + raw.slice(match[0].length);
  }

  /* A language the editor did not write in: Decap still gives it the fields copied from the original
     (date, type), but no title and no text. Writing it would publish an empty page in that language. */
  function skeleton(raw) {
    var match = /^---\n([\s\S]*?\n)---\n?([\s\S]*)$/.exec(raw || "");
    return !!match && !/^title:/m.test(match[1]) && !match[2].trim();
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
      var theme = { "data-md-color-scheme": "default", "data-md-color-primary": "custom", "data-md-color-accent": "custom" };
      return h("div", Object.assign({ className: "md-main" }, theme),
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
