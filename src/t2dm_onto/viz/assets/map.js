/* t2dm-onto interactive map: pan, zoom, search, and the claims behind a node or edge.
 * Self-contained on purpose: no library, no network; the data sits in the page
 * (script#map-data) and every text is inserted with textContent, never as HTML. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("map-data").textContent);
  var T = data.ui;
  var view = document.getElementById("view");
  var svg = view.querySelector("svg");
  var info = document.getElementById("info");
  var search = document.getElementById("search");

  svg.removeAttribute("width");
  svg.removeAttribute("height");
  var base = svg.viewBox.baseVal;
  var home = { x: base.x, y: base.y, w: base.width, h: base.height };
  var vb = { x: home.x, y: home.y, w: home.w, h: home.h };

  function apply() {
    svg.setAttribute("viewBox", vb.x + " " + vb.y + " " + vb.w + " " + vb.h);
  }

  // Screen -> SVG coordinates under preserveAspectRatio="xMidYMid meet".
  function frame() {
    var r = svg.getBoundingClientRect();
    var s = Math.max(vb.w / r.width, vb.h / r.height);
    return { r: r, s: s, ox: vb.x - (r.width * s - vb.w) / 2, oy: vb.y - (r.height * s - vb.h) / 2 };
  }

  function zoomAt(factor, clientX, clientY) {
    var f = frame();
    var w = vb.w * factor;
    if (w < home.w / 200 || w > home.w * 8) return;
    var px = f.ox + (clientX - f.r.left) * f.s;
    var py = f.oy + (clientY - f.r.top) * f.s;
    vb.x = px - (px - vb.x) * factor;
    vb.y = py - (py - vb.y) * factor;
    vb.w = w;
    vb.h = vb.h * factor;
    apply();
  }

  function zoomCentre(factor) {
    var r = svg.getBoundingClientRect();
    zoomAt(factor, r.left + r.width / 2, r.top + r.height / 2);
  }

  function fit() {
    vb = { x: home.x, y: home.y, w: home.w, h: home.h };
    apply();
  }

  function centreOn(el) {
    var f = frame();
    var r = el.getBoundingClientRect();
    var cx = f.ox + (r.left + r.width / 2 - f.r.left) * f.s;
    var cy = f.oy + (r.top + r.height / 2 - f.r.top) * f.s;
    var w = Math.min(vb.w, Math.max(home.w / 4, r.width * f.s * 6));
    var h = vb.h * (w / vb.w);
    vb = { x: cx - w / 2, y: cy - h / 2, w: w, h: h };
    apply();
  }

  // -- pan (drag) and zoom (wheel, buttons, keys) --------------------------------
  var drag = null;
  var moved = false;
  svg.addEventListener("pointerdown", function (e) {
    if (e.button !== 0) return;
    drag = { x: e.clientX, y: e.clientY, vx: vb.x, vy: vb.y, s: frame().s };
    moved = false;
  });
  svg.addEventListener("pointermove", function (e) {
    if (!drag) return;
    var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
    if (!moved && Math.abs(dx) + Math.abs(dy) > 4) {
      moved = true;
      try { svg.setPointerCapture(e.pointerId); } catch (err) { /* pointer already gone */ }
      svg.classList.add("dragging");
    }
    if (moved) {
      vb.x = drag.vx - dx * drag.s;
      vb.y = drag.vy - dy * drag.s;
      apply();
    }
  });
  function endDrag() { drag = null; svg.classList.remove("dragging"); }
  svg.addEventListener("pointerup", endDrag);
  svg.addEventListener("pointercancel", endDrag);
  svg.addEventListener("wheel", function (e) {
    e.preventDefault();
    zoomAt(Math.exp(Math.max(-1, Math.min(1, e.deltaY * 0.002))), e.clientX, e.clientY);
  }, { passive: false });
  document.getElementById("zoom-in").addEventListener("click", function () { zoomCentre(0.8); });
  document.getElementById("zoom-out").addEventListener("click", function () { zoomCentre(1.25); });
  document.getElementById("zoom-fit").addEventListener("click", fit);
  document.addEventListener("keydown", function (e) {
    if (e.target === search) { if (e.key === "Escape") { search.value = ""; mark(""); } return; }
    if (e.key === "+" || e.key === "=") zoomCentre(0.8);
    else if (e.key === "-") zoomCentre(1.25);
    else if (e.key === "0") fit();
    else if (e.key === "Escape") clear();
  });

  // Thin edges are hard to hit: give each a wide transparent twin.
  Array.prototype.forEach.call(svg.querySelectorAll("g.edge"), function (g) {
    var path = g.querySelector("path");
    if (!path) return;
    var hit = path.cloneNode(false);
    hit.setAttribute("class", "hit");
    hit.removeAttribute("stroke-dasharray");
    g.insertBefore(hit, g.firstChild);
  });

  // -- building the side panel -------------------------------------------------
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  function refsText(refs) {
    return refs.length ? "[" + refs.join(", ") + "]" : T.no_refs;
  }

  function name(node) {
    return data.lang === "zh" ? node.label_zh : node.label;
  }

  function claimBlock(cid) {
    var c = data.claims[cid];
    var box = el("div", "claim");
    var head = el("div", "claim-head");
    head.appendChild(el("span", "cid", cid));
    head.appendChild(el("span", null, " · " + T.section + " " + c.section + " · "));
    head.appendChild(el("span", "refs", refsText(c.references)));
    head.appendChild(el("span", "eco", " · " + c.evidence));
    box.appendChild(head);
    var quote = el("blockquote", "quote", c.quote_zh);
    quote.lang = "zh";
    if (data.lang === "zh") {
      box.appendChild(quote);
      box.appendChild(el("p", "statement", c.statement_en));
    } else {
      box.appendChild(el("p", "statement", c.statement_en));
      box.appendChild(quote);
    }
    var extra = [];
    if (c.aspect) extra.push(T.aspect + ": " + c.aspect);
    if (c.study_type) extra.push(T.study + ": " + c.study_type);
    if (c.context) extra.push(T.context + ": " + c.context);
    if (extra.length) box.appendChild(el("p", "meta", extra.join(" · ")));
    return box;
  }

  function edgeLine(eid) {
    var e = data.edges[eid];
    var a = el("a", "edge-link", name(data.nodes[e.s]) + " — " + e.relation_label + " → " + name(data.nodes[e.o]) +
      " " + refsText(e.refs));
    a.href = "#" + eid;
    a.addEventListener("click", function (ev) { ev.preventDefault(); select(eid, true); });
    return a;
  }

  function showNode(id) {
    var n = data.nodes[id];
    info.replaceChildren();
    info.appendChild(el("h2", null, name(n)));
    info.appendChild(el("p", "other", data.lang === "zh" ? n.label : n.label_zh));
    info.appendChild(el("p", "category", n.category_label));
    if (n.synonyms.length) info.appendChild(el("p", "meta", T.synonyms + ": " + n.synonyms.join("; ")));
    if (n.xrefs.length) info.appendChild(el("p", "meta", T.xrefs + ": " + n.xrefs.join(", ")));
    info.appendChild(el("p", "meta iri", n.iri));
    info.appendChild(el("h3", null, T.edges + " (" + n.edges.length + ")"));
    var list = el("ul", "edges");
    n.edges.forEach(function (eid) {
      var li = el("li");
      li.appendChild(edgeLine(eid));
      list.appendChild(li);
    });
    info.appendChild(list);
  }

  function showEdge(id) {
    var e = data.edges[id];
    info.replaceChildren();
    var h = el("h2");
    h.appendChild(el("span", null, name(data.nodes[e.s])));
    h.appendChild(el("span", "rel rel-" + e.relation, " " + e.relation_label + " "));
    h.appendChild(el("span", null, name(data.nodes[e.o])));
    info.appendChild(h);
    info.appendChild(el("h3", null, T.claims + " (" + e.claims.length + ")"));
    e.claims.forEach(function (cid) { info.appendChild(claimBlock(cid)); });
  }

  // -- selection and highlighting -------------------------------------------------
  function clear() {
    svg.classList.remove("focusing");
    Array.prototype.forEach.call(svg.querySelectorAll(".hl, .sel"), function (g) {
      g.classList.remove("hl");
      g.classList.remove("sel");
    });
    info.replaceChildren(el("p", "hint", T.hint));
  }

  function light(id, cls) {
    var g = document.getElementById(id);
    if (g) g.classList.add(cls || "hl");
  }

  function select(id, centre) {
    clear();
    svg.classList.add("focusing");
    if (data.nodes[id]) {
      data.nodes[id].edges.forEach(function (eid) {
        light(eid);
        light(data.edges[eid].s);
        light(data.edges[eid].o);
      });
      showNode(id);
    } else if (data.edges[id]) {
      light(data.edges[id].s);
      light(data.edges[id].o);
      showEdge(id);
    } else {
      return;
    }
    light(id, "hl");
    light(id, "sel");
    var g = document.getElementById(id);
    if (centre && g) centreOn(g);
  }

  svg.addEventListener("click", function (e) {
    if (moved) { moved = false; return; }
    var g = e.target.closest("g.node, g.edge");
    if (g && (data.nodes[g.id] || data.edges[g.id])) select(g.id, false);
    else clear();
  });

  // -- search -------------------------------------------------------------------------
  function mark(q) {
    var hits = [];
    q = q.trim().toLowerCase();
    Object.keys(data.nodes).forEach(function (id) {
      var n = data.nodes[id];
      var g = document.getElementById(id);
      var hay = [n.label, n.label_zh].concat(n.synonyms).join("\n").toLowerCase();
      var hit = q !== "" && hay.indexOf(q) >= 0;
      if (g) g.classList.toggle("match", hit);
      if (hit) hits.push(id);
    });
    document.getElementById("hits").textContent = q ? hits.length + " " + T.found : "";
    return hits;
  }
  search.addEventListener("input", function () { mark(search.value); });
  search.addEventListener("keydown", function (e) {
    if (e.key === "Enter") {
      var hits = mark(search.value);
      if (hits.length) select(hits[0], true);
    }
  });

  clear();
  apply();
})();
