// The characters left in a limited textarea, shown as the person types, in the page's
// language: the messages come from the textarea's data attributes, written by the server.
// Without JavaScript the limit is still stated beside the field and enforced by the server.
(function () {
  "use strict";
  function message(field, count) {
    var left = Number(field.getAttribute("data-limit")) - count;
    var key = left >= 0 ? "data-left" : "data-over";
    var amount = Math.abs(left);
    var template = field.getAttribute(key + (amount === 1 ? "-one" : "-many"));
    return { text: template.replace("{count}", String(amount)), over: left < 0 };
  }
  document.querySelectorAll("textarea[data-limit]").forEach(function (field) {
    var group = field.closest(".concord-character-count");
    var visible = group.querySelector(".usa-character-count__status");
    var spoken = group.querySelector(".concord-character-count__spoken");
    var timer = null;
    // Typing past the limit is allowed, so pasted text is never cut silently; the server
    // refuses it with the limit in its message.
    field.removeAttribute("maxlength");
    function update() {
      var result = message(field, field.value.length);
      visible.textContent = result.text;
      visible.classList.toggle("usa-character-count__status--invalid", result.over);
      field.classList.toggle("usa-input--error", result.over);
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        spoken.textContent = result.text;
      }, 1000);
    }
    visible.hidden = false;
    update();
    spoken.textContent = "";
    field.addEventListener("input", update);
  });
})();
