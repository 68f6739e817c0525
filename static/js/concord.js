// Quick exit: leave for a neutral site and replace this page's history entry, so Back
// does not return here. Works as a plain link when JavaScript is off.
(function () {
  "use strict";
  var link = document.getElementById("quick-exit");
  if (!link) {
    return;
  }
  function leave(event) {
    if (event) {
      event.preventDefault();
    }
    document.body.style.display = "none";
    window.location.replace(link.href);
  }
  link.addEventListener("click", leave);
  var lastEscape = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    var now = Date.now();
    if (now - lastEscape < 1000) {
      leave(event);
    }
    lastEscape = now;
  });

  // The USWDS mobile menu hides everything else from screen readers (aria-hidden) while
  // it is open. Quick exit must stay reachable, and what stays hidden is made inert so
  // that nothing hidden can take focus either. The menu opens below the Quick exit bar,
  // which would otherwise cover its close button.
  var quickExit = link.closest(".quick-exit") || link;
  var nav = document.querySelector(".usa-nav");
  new MutationObserver(function () {
    var open = document.body.classList.contains("usa-js-mobile-nav--active");
    if (nav) {
      nav.style.top = open ? quickExit.getBoundingClientRect().bottom + "px" : "";
    }
    if (open) {
      [quickExit].concat(Array.from(quickExit.querySelectorAll("*"))).forEach(function (el) {
        el.removeAttribute("aria-hidden");
        el.removeAttribute("data-nav-hidden");
      });
      document.querySelectorAll("[data-nav-hidden]").forEach(function (el) {
        el.inert = true;
        el.setAttribute("data-concord-inert", "");
      });
    } else {
      document.querySelectorAll("[data-concord-inert]").forEach(function (el) {
        el.inert = false;
        el.removeAttribute("data-concord-inert");
      });
    }
  }).observe(document.body, { attributes: true, attributeFilter: ["class"] });
})();
