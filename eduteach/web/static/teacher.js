// The teacher's screens: job progress polling, table editors (add, move, remove rows),
// local times. Everything works without this file except live progress and adding rows.
(function () {
  "use strict";

  var tokenMeta = document.querySelector('meta[name="launch-token"]');
  var launchToken = tokenMeta ? tokenMeta.content : "";

  // --- progress ------------------------------------------------------------------------
  function watchJob(card) {
    var url = card.dataset.statusUrl;
    var bar = card.querySelector("[data-bar]");
    var stage = card.querySelector("[data-stage]");
    var percent = card.querySelector("[data-percent]");
    var elapsed = card.querySelector("[data-elapsed]");
    var offline = card.querySelector("[data-offline]");
    var started = Date.parse(card.dataset.started);
    var failures = 0;
    var timer = null;

    function showElapsed() {
      if (!elapsed || isNaN(started)) { return; }
      var seconds = Math.max(0, Math.round((Date.now() - started) / 1000));
      elapsed.textContent = seconds < 60 ? seconds + " s" : Math.floor(seconds / 60) + " min " + (seconds % 60) + " s";
    }

    function fail(message) {
      card.querySelector("[data-progress-block]").hidden = true;
      var failure = card.querySelector("[data-failure]");
      if (message) { failure.querySelector("[data-error-message]").textContent = message; }
      failure.hidden = false;
      var heading = failure.querySelector("h2");
      if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
      document.title = "Could not be made · EduTeach";
    }

    function update(job) {
      var value = Math.round((job.progress || 0) * 100);
      bar.value = value;
      bar.textContent = value + "%";
      percent.textContent = String(value);
      if (stage.textContent !== job.stage) { stage.textContent = job.stage; }
      if (job.status === "succeeded" && job.done_url) {
        stage.textContent = "Done. Opening your draft…";
        window.location.assign(job.done_url);
        return true;
      }
      if (job.status === "failed") { fail(job.error_message); return true; }
      return false;
    }

    function poll() {
      showElapsed();
      fetch(url, {
        headers: { "X-Launch-Token": launchToken, "Accept": "application/json" },
        credentials: "omit",
        cache: "no-store"
      }).then(function (response) {
        if (response.status === 401 && offline) {
          offline.textContent = offline.dataset.expired;
          offline.hidden = false;
          return null;
        }
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      }).then(function (job) {
        if (job === null) { return; }
        failures = 0;
        if (offline) { offline.hidden = true; }
        if (!update(job)) { timer = window.setTimeout(poll, 1000); }
      }).catch(function () {
        failures += 1;
        if (offline && failures >= 3) { offline.hidden = false; }
        timer = window.setTimeout(poll, Math.min(1000 * failures, 5000));
      });
    }

    if (card.dataset.status === "queued" || card.dataset.status === "running") {
      poll();
      window.setInterval(showElapsed, 1000);
    }
    window.addEventListener("pagehide", function () { if (timer) { window.clearTimeout(timer); } });
  }

  document.querySelectorAll("[data-job]").forEach(watchJob);

  // --- table editors -------------------------------------------------------------------
  var newRows = 0;

  function renumber(editor) {
    var noun = editor.dataset.noun || "row";
    editor.querySelectorAll("[data-row-list] > [data-row]").forEach(function (row, index) {
      var number = String(index + 1);
      row.querySelectorAll("[data-row-no]").forEach(function (el) { el.textContent = number; });
      row.querySelectorAll("label").forEach(function (label) {
        label.textContent = label.textContent.replace(/^(\D*?) \d+: /, "$1 " + number + ": ");
      });
      var up = row.querySelector("[data-move-up]");
      if (up) { up.setAttribute("aria-label", "Move " + noun + " " + number + " up"); up.disabled = index === 0; }
      var remove = row.querySelector("[data-remove-row]");
      if (remove) { remove.setAttribute("aria-label", "Remove " + noun + " " + number); }
    });
  }

  function addRow(editor) {
    var template = editor.querySelector("template[data-row-template]");
    var list = editor.querySelector("[data-row-list]");
    newRows += 1;
    var html = template.innerHTML.split("__row__").join("n" + newRows).split("__no__").join("0");
    var holder = document.createElement("tbody");
    holder.innerHTML = html.trim();
    var row = holder.firstElementChild;
    list.appendChild(row);
    renumber(editor);
    var first = row.querySelector("input, textarea, select");
    if (first) { first.focus(); }
  }

  document.querySelectorAll("[data-rows]").forEach(function (editor) {
    renumber(editor);
    editor.addEventListener("click", function (event) {
      var target = event.target.closest("button");
      if (!target || !editor.contains(target)) { return; }
      var row = target.closest("[data-row]");
      if (target.hasAttribute("data-add-row")) {
        addRow(editor);
      } else if (target.hasAttribute("data-remove-row") && row) {
        var next = row.nextElementSibling || row.previousElementSibling;
        row.remove();
        renumber(editor);
        var focusTo = next ? next.querySelector("input, textarea, select") : editor.querySelector("[data-add-row]");
        if (focusTo) { focusTo.focus(); }
      } else if (target.hasAttribute("data-move-up") && row && row.previousElementSibling) {
        row.parentNode.insertBefore(row, row.previousElementSibling);
        renumber(editor);
        target.focus();
      }
    });
  });

  // --- small comforts -------------------------------------------------------------------
  function autogrow(area) {
    area.style.height = "auto";
    area.style.height = (area.scrollHeight + 2) + "px";
  }
  document.querySelectorAll("textarea[data-autogrow]").forEach(autogrow);
  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("textarea[data-autogrow]")) { autogrow(event.target); }
  });

  // An open edit must not vanish because the teacher clicked another link by mistake.
  document.querySelectorAll("form.section-edit").forEach(function (form) {
    var dirty = false, sending = false;
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("click", function (event) {
      if (event.target.closest("[data-add-row], [data-remove-row], [data-move-up]")) { dirty = true; }
    });
    form.addEventListener("submit", function () { sending = true; });
    window.addEventListener("beforeunload", function (event) {
      if (dirty && !sending) { event.preventDefault(); event.returnValue = ""; }
    });
  });

  // The regenerate panels open like menus: the instruction box takes focus, Escape closes.
  document.querySelectorAll("details.regen").forEach(function (panel) {
    panel.addEventListener("toggle", function () {
      if (panel.open) {
        var box = panel.querySelector("textarea");
        if (box) { box.focus(); }
      }
    });
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && panel.open) {
        panel.open = false;
        panel.querySelector("summary").focus();
      }
    });
  });

  // Times are written in UTC by the server; show them in the teacher's own time zone.
  var format = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
  document.querySelectorAll("time[datetime]").forEach(function (el) {
    var raw = el.getAttribute("datetime");
    var when = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(raw) ? raw : raw + "Z");
    if (!isNaN(when.getTime())) { el.textContent = format.format(when); }
  });

  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
})();
