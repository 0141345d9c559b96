// Click a citation: open its article, mark exactly [start, end) of the clean text, scroll to it.
// Shared by the single-file report (inlined) and the web app (served as /static/cite.js): an article's
// text lives in `.text[data-article=ID]`, whose textContent is the clean text; a URL ending in
// #c-ID-START-END highlights on load. A citation whose article is not on this page is a plain link.
(function () {
  "use strict";
  function unmark() {
    document.querySelectorAll("mark.cited").forEach(function (m) {
      var parent = m.parentNode;
      while (m.firstChild) parent.insertBefore(m.firstChild, m);
      parent.removeChild(m);
      parent.normalize();
    });
  }
  // Offsets are Python code points; JavaScript strings count UTF-16 units, which differ after emoji.
  function units(str, cp) {
    var i = 0;
    for (var n = 0; n < cp && i < str.length; n++) {
      var c = str.charCodeAt(i);
      i += c >= 0xd800 && c <= 0xdbff && i + 1 < str.length ? 2 : 1;
    }
    return i;
  }
  function locate(root, offset) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var seen = 0, node;
    while ((node = walker.nextNode())) {
      var len = Array.from(node.nodeValue).length;
      if (offset <= seen + len) return { node: node, offset: units(node.nodeValue, offset - seen) };
      seen += len;
    }
    return null;
  }
  function textBox(articleId) {
    return document.querySelector('.text[data-article="' + CSS.escape(articleId) + '"]');
  }
  function highlight(articleId, start, end) {
    var box = textBox(articleId);
    if (!box) return null;
    var details = box.closest("details");
    if (details) details.open = true;
    unmark();
    var a = locate(box, start), b = locate(box, end);
    if (!a || !b) return null;
    var range = document.createRange();
    range.setStart(a.node, a.offset);
    range.setEnd(b.node, b.offset);
    var mark = document.createElement("mark");
    mark.className = "cited";
    mark.appendChild(range.extractContents());
    range.insertNode(mark);
    mark.scrollIntoView({ block: "center" });
    return mark;
  }
  document.addEventListener("click", function (ev) {
    var link = ev.target.closest && ev.target.closest("a.cite");
    if (!link || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    if (!textBox(link.dataset.article)) return; // the article is elsewhere: let the browser follow href
    ev.preventDefault();
    highlight(link.dataset.article, +link.dataset.start, +link.dataset.end);
    var hash = "#c-" + encodeURIComponent(link.dataset.article) + "-" + link.dataset.start + "-" + link.dataset.end;
    if (history.replaceState) history.replaceState(null, "", hash);
  });
  function fromHash() {
    var m = /^#c-(.+)-(\d+)-(\d+)$/.exec(location.hash);
    if (!m) return;
    var id = m[1];
    try { id = decodeURIComponent(id); } catch (e) { /* not percent-encoded: use as is */ }
    highlight(id, +m[2], +m[3]);
  }
  window.kabarHighlight = highlight;
  window.addEventListener("hashchange", fromHash);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fromHash);
  else fromHash();
})();
