// Renders the OpenAPI document at ./openapi.json as a readable page: the
// operations grouped by tag, each with its parameters, request body and
// responses, and the shared schemas. It is served from this origin (the
// page's Content-Security-Policy forbids inline scripts) and builds the page
// with DOM calls only, never innerHTML.
(function () {
  "use strict";

  var METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
  var spec;

  function el(tag, attrs) {
    var e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (attrs[k] === undefined || attrs[k] === null || attrs[k] === false) return;
        if (k === "text") e.textContent = attrs[k];
        else if (k === "open") e.open = true;
        else e.setAttribute(k, attrs[k]);
      });
    }
    for (var i = 2; i < arguments.length; i++) append(e, arguments[i]);
    return e;
  }

  function append(parent, child) {
    if (child === undefined || child === null || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { append(parent, c); }); return; }
    parent.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  }

  // inline renders `code` and **bold** in a line of text.
  function inline(text) {
    var out = [], re = /(`[^`]+`|\*\*[^*]+\*\*)/g, last = 0, m;
    while ((m = re.exec(text)) !== null) {
      if (m.index > last) out.push(text.slice(last, m.index));
      var tok = m[0];
      out.push(tok.charAt(0) === "`" ? el("code", { text: tok.slice(1, -1) }) : el("strong", { text: tok.slice(2, -2) }));
      last = m.index + tok.length;
    }
    if (last < text.length) out.push(text.slice(last));
    return out;
  }

  // markdown renders the little Markdown the document uses: paragraphs,
  // "- " lists, `code` and **bold**.
  function markdown(text, cls) {
    var box = el("div", { "class": cls });
    String(text || "").split(/\n\s*\n/).forEach(function (block) {
      var lines = block.split("\n");
      if (lines.every(function (l) { return /^\s*[-*] /.test(l); })) {
        box.appendChild(el("ul", null, lines.map(function (l) { return el("li", null, inline(l.replace(/^\s*[-*] /, ""))); })));
      } else if (block.trim() !== "") {
        box.appendChild(el("p", null, inline(lines.join(" "))));
      }
    });
    return box;
  }

  function refName(ref) { return ref.split("/").pop(); }

  function resolve(obj) {
    var seen = 0;
    while (obj && obj.$ref && seen++ < 20) {
      var parts = obj.$ref.replace(/^#\//, "").split("/"), cur = spec;
      for (var i = 0; i < parts.length && cur; i++) cur = cur[parts[i].replace(/~1/g, "/").replace(/~0/g, "~")];
      if (!cur) return obj;
      obj = cur;
    }
    return obj;
  }

  function typeOf(s) {
    if (!s) return "any";
    if (s.$ref) return refName(s.$ref);
    if (s.anyOf || s.oneOf) return (s.anyOf || s.oneOf).map(typeOf).join(" | ");
    if (s.allOf) return s.allOf.map(typeOf).join(" & ");
    var t = Array.isArray(s.type) ? s.type : (s.type ? [s.type] : []);
    return t.map(function (x) {
      if (x === "array") return "array of " + typeOf(s.items);
      if (x === "object" && s.additionalProperties && typeof s.additionalProperties === "object" && !s.properties) {
        return "map of " + typeOf(s.additionalProperties);
      }
      return x;
    }).join(" | ") || (s.properties ? "object" : "any");
  }

  function constraints(s) {
    if (!s || s.$ref) return "";
    var c = [];
    if (s.enum) c.push("one of: " + s.enum.map(function (v) { return JSON.stringify(v); }).join(", "));
    if (s.const !== undefined) c.push("= " + JSON.stringify(s.const));
    if (s.format) c.push("format " + s.format);
    if (s.minLength !== undefined || s.maxLength !== undefined) c.push("length " + range(s.minLength, s.maxLength));
    if (s.minimum !== undefined || s.maximum !== undefined) c.push("value " + range(s.minimum, s.maximum));
    if (s.minItems !== undefined || s.maxItems !== undefined) c.push("items " + range(s.minItems, s.maxItems));
    if (s.pattern) c.push("pattern " + s.pattern);
    if (s["default"] !== undefined) c.push("default " + JSON.stringify(s["default"]));
    if (s.additionalProperties === false) c.push("no other fields");
    return c.join("; ");
  }

  function range(min, max) {
    if (min !== undefined && max !== undefined) return min + ".." + max;
    if (min !== undefined) return "≥ " + min;
    return "≤ " + max;
  }

  // children returns the schema whose fields are worth listing under s.
  function children(s) {
    if (!s) return null;
    if (s.$ref) return s;
    if (s.properties) return s;
    if (s.items) return children(s.items);
    if (s.anyOf || s.oneOf) {
      var list = (s.anyOf || s.oneOf).filter(function (x) { return x.$ref || x.properties || x.items; });
      return list.length === 1 ? children(list[0]) : null;
    }
    if (s.additionalProperties && typeof s.additionalProperties === "object") return children(s.additionalProperties);
    return null;
  }

  // schemaTree lists an object's fields, expanding references on demand.
  // Only a top-level reference starts open, and only if open is set.
  function schemaTree(s, depth, path, open) {
    if (!s) return null;
    if (s.$ref) {
      var name = refName(s.$ref);
      if (path.indexOf(name) >= 0 || depth > 8) return el("span", { "class": "desc", text: "(" + name + ", see above)" });
      var d = el("details", { "class": "ref", open: depth === 0 && open }, el("summary", { text: name }));
      d.appendChild(schemaTree(resolve(s), depth + 1, path.concat([name])) || el("span"));
      return d;
    }
    if (!s.properties) {
      var inner = children(s);
      return inner && inner !== s ? schemaTree(inner, depth, path, open) : null;
    }
    var req = s.required || [];
    var ul = el("ul", { "class": "schema" });
    Object.keys(s.properties).forEach(function (k) {
      var p = s.properties[k], rp = p.$ref ? resolve(p) : p;
      var li = el("li", null,
        el("span", { "class": "prop mono", text: k }), " ",
        el("span", { "class": "type", text: typeOf(p) }),
        req.indexOf(k) >= 0 ? el("span", { "class": "req", text: " required" }) : null);
      var c = constraints(p);
      if (c) li.appendChild(el("span", { "class": "constraint", text: " — " + c }));
      if (p.description || rp.description) li.appendChild(el("div", { "class": "desc", text: p.description || rp.description }));
      var sub = children(p);
      if (sub) li.appendChild(schemaTree(sub, depth + 1, path));
      ul.appendChild(li);
    });
    return ul;
  }

  function schemaBlock(s, open) {
    var box = el("div");
    var head = el("div", null, el("span", { "class": "type", text: typeOf(s) }));
    var c = constraints(s);
    if (c) head.appendChild(el("span", { "class": "constraint", text: " — " + c }));
    box.appendChild(head);
    var tree = schemaTree(s, 0, [], open);
    if (tree) box.appendChild(tree);
    return box;
  }

  function parametersTable(params) {
    return el("table", null,
      el("thead", null, el("tr", null, ["Name", "In", "Type", "Description"].map(function (h) { return el("th", { text: h }); }))),
      el("tbody", null, params.map(function (p) {
        p = resolve(p);
        var c = constraints(p.schema);
        return el("tr", null,
          el("td", null, el("span", { "class": "mono", text: p.name }), p.required ? el("span", { "class": "req", text: " required" }) : null),
          el("td", { text: p["in"] }),
          el("td", null, el("span", { "class": "type", text: typeOf(p.schema) }), c ? el("div", { "class": "constraint", text: c }) : null),
          el("td", { "class": "desc", text: p.description || "" }));
      })));
  }

  function contentBlocks(content, open) {
    return Object.keys(content || {}).map(function (mt) {
      return el("div", null, el("div", { "class": "constraint mono", text: mt }), content[mt].schema ? schemaBlock(content[mt].schema, open) : null);
    });
  }

  function security(op) {
    var reqs = op.security !== undefined ? op.security : (spec.security || []);
    if (!reqs.length) return "no sign-in";
    var anonymous = reqs.some(function (r) { return Object.keys(r).length === 0; });
    return anonymous ? "sign-in optional" : "🔒 bearer token";
  }

  function operation(path, method, op) {
    var id = op.operationId || (method + path).replace(/[^A-Za-z0-9]+/g, "-");
    var body = el("div", { "class": "body" });
    if (op.description) body.appendChild(markdown(op.description));
    var params = (op._shared || []).concat(op.parameters || []);
    if (params.length) body.appendChild(el("h4", { text: "Parameters" }));
    if (params.length) body.appendChild(parametersTable(params));
    if (op.requestBody) {
      var rb = resolve(op.requestBody);
      body.appendChild(el("h4", { text: "Request body" + (rb.required ? " (required)" : "") }));
      if (rb.description) body.appendChild(markdown(rb.description, "desc"));
      append(body, contentBlocks(rb.content, true));
    }
    body.appendChild(el("h4", { text: "Responses" }));
    var rt = el("table", null, el("thead", null, el("tr", null, el("th", { text: "Status" }), el("th", { text: "Meaning and body" }))));
    var tb = el("tbody");
    Object.keys(op.responses || {}).sort().forEach(function (code) {
      var r = op.responses[code], rr = resolve(r);
      var cell = el("td", null, rr.description ? el("div", { text: rr.description }) : null);
      if (r.$ref) cell.appendChild(el("div", { "class": "constraint", text: refName(r.$ref) }));
      var hs = Object.keys(rr.headers || {});
      if (hs.length) cell.appendChild(el("div", { "class": "constraint", text: "Headers: " + hs.join(", ") }));
      append(cell, contentBlocks(rr.content, code.charAt(0) === "2"));
      tb.appendChild(el("tr", null, el("td", { "class": "status s" + code.charAt(0), text: code }), cell));
    });
    rt.appendChild(tb);
    body.appendChild(rt);

    return el("details", { "class": "op", id: id, "data-search": (method + " " + path + " " + (op.summary || "")).toLowerCase() },
      el("summary", null,
        el("span", { "class": "method " + method, text: method.toUpperCase() }),
        el("span", { "class": "path mono", text: path }),
        el("span", { "class": "summary", text: op.summary || "" }),
        el("span", { "class": "lock", text: (op["x-roles"] ? op["x-roles"].join(", ") + " · " : "") + security(op) })),
      body);
  }

  function render() {
    var main = document.getElementById("main"), nav = document.getElementById("nav");
    main.textContent = "";
    var info = spec.info || {};
    main.appendChild(el("h1", { text: (info.title || "API") + (info.version ? " v" + info.version : "") }));
    if (info.summary) main.appendChild(el("p", { "class": "desc", text: info.summary }));
    if (info.description) main.appendChild(markdown(info.description, "note"));
    main.appendChild(el("p", null, "OpenAPI " + spec.openapi + " document: ", el("a", { href: "openapi.json", text: "openapi.json" })));

    // Group operations by their first tag, in the order the document lists tags.
    var groups = {}, order = (spec.tags || []).map(function (t) { return t.name; });
    Object.keys(spec.paths || {}).forEach(function (path) {
      var item = spec.paths[path];
      METHODS.forEach(function (m) {
        if (!item[m]) return;
        var op = item[m];
        op._shared = item.parameters || [];
        var tag = (op.tags && op.tags[0]) || "Other";
        if (order.indexOf(tag) < 0) order.push(tag);
        (groups[tag] = groups[tag] || []).push({ path: path, method: m, op: op });
      });
    });

    order.forEach(function (tag) {
      var ops = groups[tag];
      if (!ops) return;
      var tdef = (spec.tags || []).filter(function (t) { return t.name === tag; })[0] || {};
      var sec = el("section", { "class": "tag", id: "tag-" + tag }, el("h2", { text: tag }));
      if (tdef.description) sec.appendChild(markdown(tdef.description, "desc"));
      nav.appendChild(el("h2", null, el("a", { href: "#tag-" + tag, text: tag })));
      var list = el("ul");
      ops.forEach(function (o) {
        var node = operation(o.path, o.method, o.op);
        sec.appendChild(node);
        list.appendChild(el("li", { "data-search": node.getAttribute("data-search") },
          el("a", { href: "#" + node.id },
            el("span", { "class": "method " + o.method, text: o.method.toUpperCase() }),
            el("span", { "class": "mono", text: o.path }))));
      });
      nav.appendChild(list);
      main.appendChild(sec);
    });

    var schemas = (spec.components && spec.components.schemas) || {};
    if (Object.keys(schemas).length) {
      var sec = el("section", { "class": "tag", id: "schemas" }, el("h2", { text: "Schemas" }));
      Object.keys(schemas).forEach(function (name) {
        var s = schemas[name];
        sec.appendChild(el("details", { "class": "op", id: "schema-" + name },
          el("summary", null, el("span", { "class": "path mono", text: name }), el("span", { "class": "summary", text: s.description || "" })),
          el("div", { "class": "body" }, schemaBlock(s, true))));
      });
      main.appendChild(sec);
      nav.appendChild(el("h2", null, el("a", { href: "#schemas", text: "Schemas" })));
    }

    document.getElementById("filter").addEventListener("input", function (e) {
      var q = e.target.value.trim().toLowerCase();
      document.querySelectorAll("[data-search]").forEach(function (n) {
        n.style.display = !q || n.getAttribute("data-search").indexOf(q) >= 0 ? "" : "none";
      });
    });

    // Open the operation a link points at.
    function openHash() {
      var t = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
      if (t && t.tagName === "DETAILS") { t.open = true; t.scrollIntoView(); }
    }
    window.addEventListener("hashchange", openHash);
    openHash();
  }

  function start() {
    fetch("openapi.json", { headers: { Accept: "application/json" } })
      .then(function (r) {
        if (!r.ok) throw new Error("GET openapi.json: HTTP " + r.status);
        return r.json();
      })
      .then(function (doc) { spec = doc; render(); })
      .catch(function (err) {
        var p = document.getElementById("loading") || document.getElementById("main");
        p.textContent = "";
        p.appendChild(el("span", { "class": "error", text: "Could not load the API document: " + err.message + ". " }));
        p.appendChild(el("a", { href: "openapi.json", text: "Open openapi.json" }));
      });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
