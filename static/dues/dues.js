/* Dues pages: a print button and a confirmation before a batch payment (no inline scripts under the CSP). */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-gh-print]")) window.print();
  });

  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-gh-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  });
})();
