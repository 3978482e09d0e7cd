/* The joining pages: show or hide the password being set, and the countdown before a new SMS code may be
   asked for. Here, not inline: the Content-Security-Policy allows no inline scripts. */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-gh-show-password]");
    if (!button) return;
    var input = document.getElementById(button.getAttribute("data-gh-show-password"));
    var shown = input.type === "password";
    input.type = shown ? "text" : "password";
    button.textContent = shown ? "隐藏" : "显示";
    button.setAttribute("aria-pressed", shown ? "true" : "false");
  });

  // <button data-gh-countdown="N" data-gh-label="重新获取验证码">: disabled for N seconds, counting down.
  document.querySelectorAll("[data-gh-countdown]").forEach(function (button) {
    var left = parseInt(button.getAttribute("data-gh-countdown"), 10) || 0;
    var label = button.getAttribute("data-gh-label");
    function tick() {
      if (left <= 0) {
        button.disabled = false;
        button.textContent = label;
        return;
      }
      button.disabled = true;
      button.textContent = label + "（" + left + " 秒后可用）";
      left -= 1;
      window.setTimeout(tick, 1000);
    }
    tick();
  });
})();
