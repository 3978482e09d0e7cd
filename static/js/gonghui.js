/* Gonghui page behaviour. Lives here, not in the templates: the Content-Security-Policy allows no inline
   scripts or event-handler attributes. Handlers are delegated from the document, so content that htmx
   swaps in later works too. */
(function () {
  "use strict";

  // Tree: a toggle button opens and closes the list of children named by data-gh-children.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-gh-children]");
    if (!button) return;
    var expanded = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", expanded ? "true" : "false");
    var children = document.getElementById(button.getAttribute("data-gh-children"));
    if (children) children.classList.toggle("d-none", !expanded);
  });

  // Wide tables (class gh-stack) turn into cards on a phone (static/css/gonghui.css): each cell is labelled
  // with its column's heading. Run on the page and on every piece htmx swaps in.
  function labelTables(root) {
    var tables = root.matches && root.matches("table.gh-stack") ? [root] : root.querySelectorAll("table.gh-stack");
    Array.prototype.forEach.call(tables, function (table) {
      var headings = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return th.textContent.trim();
      });
      Array.prototype.forEach.call(table.querySelectorAll("tbody tr, tfoot tr"), function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          cell.setAttribute("data-label", cell.colSpan > 1 ? "" : headings[column] || "");
          column += cell.colSpan;
        });
      });
    });
  }
  labelTables(document);
  document.addEventListener("htmx:load", function (event) { labelTables(event.detail.elt); });

  // Union picker (templates/orgs/_picker.html): the chosen union's whole label (名称、省 › 市 › 区 › 街道) under
  // the select, which a phone cuts short.
  function showPicked(select) {
    var picked = select.closest(".gh-org-picker").querySelector("[data-gh-picked]");
    var option = select.options[select.selectedIndex];
    if (picked) picked.textContent = option && option.value ? option.textContent : "";
  }
  function showAllPicked(root) {
    Array.prototype.forEach.call(root.querySelectorAll(".gh-org-picker select"), showPicked);
  }
  showAllPicked(document);
  document.addEventListener("change", function (event) {
    if (event.target.matches(".gh-org-picker select")) showPicked(event.target);
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var select = event.detail.elt;
    if (select && select.matches && select.matches(".gh-org-picker select")) showPicked(select);
  });

  // After a successful htmx request, remove the element's parent (e.g. the "查看完整信息" button and its note).
  document.addEventListener("htmx:afterRequest", function (event) {
    var element = event.detail && event.detail.elt;
    if (event.detail.successful && element && element.hasAttribute("data-gh-remove-parent-on-success")) {
      element.parentElement.remove();
    }
  });
})();
