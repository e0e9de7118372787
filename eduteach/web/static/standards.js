// The create form's standards picker: search the imported frameworks and pick up to 10
// standards as chips. Without this file the chips are plain checkboxes and the text box works.
(function () {
  "use strict";

  var picker = document.getElementById("standards-picker");
  if (!picker) { return; }
  var tokenMeta = document.querySelector('meta[name="launch-token"]');
  var launchToken = tokenMeta ? tokenMeta.content : "";
  var searchUrl = picker.dataset.searchUrl;
  var limit = parseInt(picker.dataset.limit, 10) || 10;
  var box = picker.querySelector("[data-search]");
  var query = document.getElementById("standards-q");
  var framework = document.getElementById("standards-framework");
  var byGrade = document.getElementById("standards-by-grade");
  var grade = document.getElementById("f-grade");
  // A form without a class grade (modify material) gives the search a grade of its own.
  var ownGrade = document.getElementById("standards-grade");
  var status = document.getElementById("standards-status");
  var results = document.getElementById("standards-results");
  var chosen = document.getElementById("standards-chosen");
  var typed = document.getElementById("f-standards");
  var timer = null;
  var latest = 0;
  var chipCount = chosen.children.length;

  box.hidden = false;

  function pickedCodes() {
    var codes = {};
    chosen.querySelectorAll('input[name="verified_standards"]').forEach(function (input) {
      codes[input.value.toLowerCase()] = true;
    });
    return codes;
  }

  function standardsCount() {
    var lines = typed ? typed.value.split("\n").filter(function (l) { return l.trim(); }).length : 0;
    return chosen.querySelectorAll('input[name="standards"]:checked').length + lines;
  }

  function removeChip(item) {
    var next = item.nextElementSibling || item.previousElementSibling;
    item.remove();
    status.textContent = "Standard removed.";
    var focusable = next ? next.querySelector('input[type="checkbox"]') : query;
    (focusable || query).focus();
  }

  function addChip(hit) {
    if (pickedCodes()[hit.code.toLowerCase()]) {
      status.textContent = hit.code + " is already picked.";
      return;
    }
    if (standardsCount() >= limit) {
      status.textContent = "You already have " + limit + " standards; remove one to pick another.";
      return;
    }
    var id = "standard-chip-new-" + (chipCount++);
    var item = document.createElement("li");
    item.className = "standard-chip";
    var box = document.createElement("input");
    box.type = "checkbox";
    box.name = "standards";
    box.value = hit.line;
    box.id = id;
    box.checked = true;
    var code = document.createElement("input");
    code.type = "hidden";
    code.name = "verified_standards";
    code.value = hit.code;
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = hit.line + " ";
    var badge = document.createElement("span");
    badge.className = "verified-tag";
    badge.textContent = "Verified";
    label.appendChild(badge);
    item.append(box, code, label);
    chosen.appendChild(item);
    status.textContent = "Picked " + hit.code + ". " + standardsCount() + " of " + limit + " standards.";
  }

  // Unticking a chip removes it: the chip is the standard, not an option.
  chosen.addEventListener("change", function (event) {
    var target = event.target;
    if (target.name === "standards" && !target.checked) { removeChip(target.closest("li")); }
  });

  function show(hits) {
    results.textContent = "";
    var picked = pickedCodes();
    hits.forEach(function (hit) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button quiet standard-result";
      var code = document.createElement("strong");
      code.textContent = hit.code;
      button.append(code, " " + hit.statement);
      button.setAttribute("aria-label", "Pick " + hit.line);
      if (picked[hit.code.toLowerCase()]) { button.disabled = true; }
      button.addEventListener("click", function () {
        addChip(hit);
        button.disabled = true;
      });
      item.appendChild(button);
      results.appendChild(item);
    });
    status.textContent = hits.length ? hits.length + (hits.length === 1 ? " standard found." : " standards found.")
                                     : "No standards found.";
  }

  function search() {
    var words = query.value.trim();
    var params = new URLSearchParams({ q: words });
    if (byGrade.checked && grade && grade.value) { params.set("grade", grade.value); }
    if (ownGrade && ownGrade.value) { params.set("grade", ownGrade.value); }
    if (framework && framework.value) { params.set("framework", framework.value); }
    if (!words) { results.textContent = ""; status.textContent = ""; return; }
    var ticket = ++latest;
    status.textContent = "Searching…";
    fetch(searchUrl + "?" + params.toString(), {
      headers: { "X-Launch-Token": launchToken, "Accept": "application/json" },
      credentials: "omit",
      cache: "no-store"
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (data) {
      if (ticket === latest) { show(data.results || []); }
    }).catch(function () {
      if (ticket === latest) {
        status.textContent = "The search is not available right now; type your standards in the box below.";
      }
    });
  }

  function soon() {
    window.clearTimeout(timer);
    timer = window.setTimeout(search, 250);
  }

  query.addEventListener("input", soon);
  // Enter searches now instead of submitting the whole form.
  query.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); search(); }
  });
  byGrade.addEventListener("change", search);
  if (framework) { framework.addEventListener("change", search); }
  if (ownGrade) { ownGrade.addEventListener("change", search); }
  if (grade) { grade.addEventListener("change", function () { if (byGrade.checked) { search(); } }); }
})();
