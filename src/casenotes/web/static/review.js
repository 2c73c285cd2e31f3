// Review page: selecting a sentence highlights the transcript turns it came from.
(function () {
  "use strict";

  var reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function showEvidence(sentence) {
    document.querySelectorAll(".evidence-active").forEach(function (el) {
      el.classList.remove("evidence-active");
      el.removeAttribute("aria-current");
    });
    document.querySelectorAll(".sentence-selected").forEach(function (el) {
      el.classList.remove("sentence-selected");
    });
    sentence.classList.add("sentence-selected");
    var ids = (sentence.getAttribute("data-evidence") || "").split(/\s+/).filter(Boolean);
    var first = null;
    ids.forEach(function (id) {
      var segment = document.getElementById("seg-" + id);
      if (segment) {
        segment.classList.add("evidence-active");
        segment.setAttribute("aria-current", "true");
        first = first || segment;
      }
    });
    var status = document.getElementById("evidence-status");
    if (status) {
      status.textContent = first
        ? "Showing " + ids.length + " evidence turn" + (ids.length === 1 ? "" : "s") + " in the transcript."
        : "This sentence has no evidence in the transcript.";
    }
    if (first) {
      first.scrollIntoView({ block: "center", behavior: reduceMotion ? "auto" : "smooth" });
    }
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    var sentence = target.closest(".sentence[data-evidence]");
    if (!sentence) {
      return;
    }
    var link = target.closest("a.evidence-link");
    if (link) {
      event.preventDefault();
    } else if (target.closest("form, details, button, input, textarea, select, label, a")) {
      return;
    }
    showEvidence(sentence);
  });

  // After an HTMX swap, put focus back where the person was working.
  document.addEventListener("htmx:afterSettle", function () {
    var heading = document.querySelector("[data-focus-after-swap]");
    if (heading) {
      heading.removeAttribute("data-focus-after-swap");
      heading.focus({ preventScroll: true });
    }
  });
})();
