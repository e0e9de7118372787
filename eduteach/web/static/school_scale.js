// The school's AI-use scale: keeps each level's colour picker and #RRGGBB text in step and
// updates its badge preview as the administrator types. The page works without this file
// (the server redraws the preview after every button); the server's checks decide.
(function () {
  "use strict";

  var HEX = /^#[0-9a-f]{6}$/i;
  var WHITE = "#FFFFFF", DARK = "#1A1A1A", MIN_CONTRAST = 4.5;

  function channel(value) {
    var c = value / 255;
    return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  }
  function luminance(hex) {
    var r = parseInt(hex.slice(1, 3), 16), g = parseInt(hex.slice(3, 5), 16), b = parseInt(hex.slice(5, 7), 16);
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  }
  function contrast(a, b) {
    var la = luminance(a), lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }

  function watch(level) {
    var name = level.querySelector("[data-name]");
    var hex = level.querySelector("[data-hex]");
    var picker = level.querySelector("[data-picker]");
    var badge = level.querySelector("[data-badge]");
    var fill = level.querySelector("[data-fill]");
    var badgeName = level.querySelector("[data-badge-name]");
    var note = level.querySelector("[data-contrast]");
    var flags = level.querySelector("[data-flags-summary]");
    var allowed = level.querySelector('[data-flag="ai_allowed"]');
    var disclose = level.querySelector('[data-flag="disclosure_required"]');
    if (!hex || !picker || !badge) { return; }

    function showColour(colour) {
      colour = colour.toUpperCase();
      var onWhite = contrast(colour, WHITE), onDark = contrast(colour, DARK);
      var white = onWhite >= onDark;
      fill.setAttribute("fill", colour);
      badge.classList.toggle("on-dark", white);
      badge.classList.toggle("on-light", !white);
      var best = Math.max(onWhite, onDark);
      note.textContent = best >= MIN_CONTRAST
        ? (white ? "White" : "Dark") + " text on " + colour + ": contrast " + best.toFixed(1) + ":1."
        : "Neither white nor dark text is readable on " + colour + ": choose a darker or lighter colour.";
    }

    hex.addEventListener("input", function () {
      var value = hex.value.trim();
      if (HEX.test(value)) {
        picker.value = value.toLowerCase();
        showColour(value);
      } else {
        note.textContent = "Write the colour as # and six digits or letters A to F, for example #175CD3.";
      }
    });
    picker.addEventListener("input", function () {
      hex.value = picker.value.toUpperCase();
      showColour(picker.value);
    });
    if (name && badgeName) {
      name.addEventListener("input", function () {
        badgeName.textContent = name.value.trim() || "(no name yet)";
      });
    }
    function showFlags() {
      if (!flags || !allowed || !disclose) { return; }
      flags.textContent = !allowed.checked ? "No AI."
        : disclose.checked ? "AI allowed, with disclosure." : "AI allowed, no disclosure asked.";
    }
    if (allowed) { allowed.addEventListener("change", showFlags); }
    if (disclose) { disclose.addEventListener("change", showFlags); }
  }

  document.querySelectorAll("[data-level]").forEach(watch);

  // Typed changes must not vanish because the administrator followed a link by mistake.
  var form = document.querySelector("[data-scale-form]");
  if (form) {
    var dirty = form.dataset.changed === "true", sending = false;
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("submit", function () { sending = true; });
    window.addEventListener("beforeunload", function (event) {
      if (dirty && !sending) { event.preventDefault(); event.returnValue = ""; }
    });
  }
})();
