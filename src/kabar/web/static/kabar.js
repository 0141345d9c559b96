// Kabar: highlight the cited span named in the URL (#c-START-END) on the article page.
// Offsets are Python code points into the clean text; each span.seg carries its start (data-s).
(function () {
  "use strict";

  function isLow(code) { return code >= 0xdc00 && code <= 0xdfff; }

  // UTF-16 index of code point `cp` within `str`.
  function unitIndex(str, cp) {
    var i = 0, n = 0;
    while (n < cp && i < str.length) {
      i += (i + 1 < str.length && isLow(str.charCodeAt(i + 1))) ? 2 : 1;
      n++;
    }
    return i;
  }

  function codePoints(str) {
    var n = 0;
    for (var i = 0; i < str.length; i++) { if (!isLow(str.charCodeAt(i))) n++; }
    return n;
  }

  function clear(root) {
    root.querySelectorAll("mark.cited").forEach(function (m) {
      var parent = m.parentNode;
      while (m.firstChild) parent.insertBefore(m.firstChild, m);
      parent.removeChild(m);
      parent.normalize();
    });
  }

  function highlight(root, start, end) {
    clear(root);
    var first = null;
    root.querySelectorAll("span.seg").forEach(function (seg) {
      var text = seg.textContent, s = parseInt(seg.dataset.s, 10), e = s + codePoints(text);
      if (!text || e <= start || s >= end) return;
      var from = unitIndex(text, Math.max(start, s) - s), to = unitIndex(text, Math.min(end, e) - s);
      var middle = seg.firstChild.splitText(from);
      middle.splitText(to - from);
      var mark = document.createElement("mark");
      mark.className = "cited";
      seg.insertBefore(mark, middle);
      mark.appendChild(middle);
      if (!first) first = mark;
    });
    if (first) {
      first.id = "c-" + start + "-" + end;
      first.setAttribute("tabindex", "-1");
      first.scrollIntoView({ block: "center" });
    }
    return first;
  }

  function fromHash() {
    var root = document.getElementById("article-text");
    var m = /^#c-(\d+)-(\d+)$/.exec(window.location.hash);
    if (!root || !m) return;
    highlight(root, parseInt(m[1], 10), parseInt(m[2], 10));
  }

  window.addEventListener("hashchange", fromHash);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fromHash);
  } else {
    fromHash();
  }
})();
