/* 入会二维码海报: the print button (no inline handlers under the Content-Security-Policy). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-gh-print]")) window.print();
  });
})();
