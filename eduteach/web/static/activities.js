// Activities: the editor's helpers (blanks found in a passage, fields by question type) and
// the players (flashcards; answers checked on the server for the other types). Every form
// also works without this file: it posts, and the server answers with the page. On a
// student's pages it also saves flashcard ratings, keeps a submit from being sent twice,
// shows times in the student's time zone and tells the LMS how tall the page is.
(function () {
  "use strict";

  // --- editor: the blanks a fill-in passage has, as the teacher types ---------------------
  var BLANK = /\[\[([^\[\]]*)\]\]/g;

  function listBlanks(source) {
    var box = document.getElementById(source.dataset.blankSource);
    if (!box) { return; }
    var list = box.querySelector("[data-blank-list]");
    var count = box.querySelector("[data-blank-count]");
    var text = source.value;
    var found = [];
    text.replace(BLANK, function (whole, inside) {
      found.push(inside.split("|").map(function (a) { return a.trim(); }).filter(Boolean));
      return "";
    });
    list.textContent = "";
    found.forEach(function (answers) {
      var item = document.createElement("li");
      if (!answers.length) {
        var empty = document.createElement("span");
        empty.className = "field-error";
        empty.textContent = "empty blank";
        item.appendChild(empty);
      } else {
        var first = document.createElement("strong");
        first.textContent = answers[0];
        item.appendChild(first);
        if (answers.length > 1) {
          var also = document.createElement("span");
          also.className = "muted";
          also.textContent = " (also accepted: " + answers.slice(1).join(", ") + ")";
          item.appendChild(also);
        }
      }
      list.appendChild(item);
    });
    var stray = text.replace(BLANK, "");
    var words = found.length + (found.length === 1 ? " blank" : " blanks") + " found";
    if (stray.indexOf("[[") !== -1 || stray.indexOf("]]") !== -1) {
      words += ". A blank is not closed: check its [[ and ]]";
    }
    if (count.textContent !== words) { count.textContent = words; }
  }

  document.querySelectorAll("textarea[data-blank-source]").forEach(function (source) {
    // Text typed before this script ran (a slow page) is listed at once.
    listBlanks(source);
    var timer = null;
    source.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { listBlanks(source); }, 250);
    });
  });

  // --- editor: a question shows the fields of its type -----------------------------------
  function showFieldsFor(select) {
    var form = select.form;
    var type = select.value;
    form.querySelectorAll("[data-for-types]").forEach(function (part) {
      part.hidden = part.dataset.forTypes.split(" ").indexOf(type) === -1;
    });
    var words = (select.dataset.trueFalse || "").split("|");
    if (type === "true_false" && words.length === 2) {
      var texts = form.querySelectorAll("[data-option-row] input[type=text][name$='.text']");
      var empty = Array.prototype.every.call(texts, function (input) { return !input.value.trim(); });
      if (empty && texts.length >= 2) {
        texts[0].value = words[0];
        texts[1].value = words[1];
      }
    }
  }

  document.querySelectorAll("select[data-question-type]").forEach(function (select) {
    showFieldsFor(select);
    select.addEventListener("change", function () { showFieldsFor(select); });
  });

  // --- players: checking answers on the server --------------------------------------------
  function feedbackNode(result) {
    var box = document.createElement("span");
    box.className = "feedback status-" + result.status;
    var label = document.createElement("strong");
    label.className = "feedback-label";
    label.textContent = result.label;
    box.appendChild(label);
    if (result.feedback) {
      var text = document.createElement("span");
      text.className = "feedback-text";
      text.textContent = " " + result.feedback;
      box.appendChild(text);
    }
    return box;
  }

  function itemOf(form, id) {
    return Array.prototype.find.call(form.querySelectorAll("[data-item]"), function (el) {
      return el.dataset.item === id;
    });
  }

  function clearItem(item) {
    item.classList.remove("status-correct", "status-partial", "status-incorrect");
    var slot = item.querySelector("[data-feedback-for]");
    if (slot) { slot.textContent = ""; }
  }

  function showResults(form, result, practice) {
    result.items.forEach(function (one) {
      var item = itemOf(form, one.id);
      if (!item) { return; }
      clearItem(item);
      item.classList.add("status-" + one.status);
      var slot = item.querySelector("[data-feedback-for]");
      if (slot) { slot.appendChild(feedbackNode(one)); }
      if (practice) {
        var wrong = one.status !== "correct";
        item.querySelector("[data-retry]").hidden = !wrong;
        item.querySelector("[data-reveal]").hidden = !wrong || result.revealed;
      }
    });
    var score = form.querySelector("[data-score]");
    if (score && !practice) {
      score.textContent = "";
      var line = document.createElement("p");
      var total = document.createElement("strong");
      total.textContent = result.summary;
      line.appendChild(total);
      line.appendChild(document.createTextNode(" Feedback is shown with each answer."));
      score.appendChild(line);
      score.focus();
      var again = form.querySelector("[data-start-again]");
      if (again) { again.hidden = false; }
    }
  }

  function showProblem(form, where) {
    var note = form.querySelector("[data-check-problem]");
    if (!note) {
      note = document.createElement("p");
      note.className = "check-problem";
      note.setAttribute("role", "alert");
      note.setAttribute("data-check-problem", "");
      form.appendChild(note);
    }
    note.textContent = "Your answers could not be checked just now. Check your connection and try again.";
    if (where) { where.focus(); }
  }

  function initCheckForm(form) {
    var practice = form.hasAttribute("data-practice");
    var busy = false;
    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      // "Finish" hands a self-quiz in: an ordinary post, answered with the result page.
      if (submitter && submitter.hasAttribute("data-finish")) { return; }
      event.preventDefault();
      if (busy) { return; }
      var data = new FormData(form);
      if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
      busy = true;
      fetch(form.action, {
        method: "POST",
        body: new URLSearchParams(data),
        headers: { "Accept": "application/json" },
        credentials: "same-origin",
        cache: "no-store"
      }).then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      }).then(function (result) {
        var problem = form.querySelector("[data-check-problem]");
        if (problem) { problem.remove(); }
        showResults(form, result, practice);
      }).catch(function () {
        showProblem(form, submitter);
      }).then(function () { busy = false; });
    });

    form.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) { return; }
      if (button.hasAttribute("data-retry")) {
        var item = button.closest("[data-item]");
        item.querySelectorAll("input[type=radio], input[type=checkbox]").forEach(function (input) { input.checked = false; });
        item.querySelectorAll("input[type=text]").forEach(function (input) { input.value = ""; });
        clearItem(item);
        button.hidden = true;
        item.querySelector("[data-reveal]").hidden = true;
        var first = item.querySelector("input, select");
        if (first) { first.focus(); }
      } else if (button.hasAttribute("data-start-again")) {
        form.querySelectorAll("[data-item]").forEach(function (one) {
          clearItem(one);
          one.querySelectorAll("input[type=radio], input[type=checkbox]").forEach(function (input) { input.checked = false; });
          one.querySelectorAll("input[type=text]").forEach(function (input) { input.value = ""; });
          one.querySelectorAll("select").forEach(function (select) { select.selectedIndex = 0; });
        });
        form.querySelector("[data-score]").textContent = "";
        button.hidden = true;
        var start = form.querySelector("input:not([type=hidden]), select");
        if (start) { start.focus(); }
      }
    });
  }

  document.querySelectorAll("form[data-check-form]").forEach(initCheckForm);

  // --- players: flashcards ----------------------------------------------------------------
  function initDeck(deck) {
    var list = deck.querySelector("[data-cards]");
    var progress = deck.querySelector("[data-progress]");
    var announce = deck.querySelector("[data-announce]");
    var summary = deck.querySelector("[data-summary]");
    var controls = deck.querySelector("[data-deck-controls]");
    var help = deck.querySelector("[data-flip-help]");
    var all = Array.prototype.slice.call(list.querySelectorAll("[data-card]"));
    var due = all.filter(function (card) { return card.hasAttribute("data-due"); });
    var order = due.length ? due : all.slice();
    var position = 0;
    var ratings = {};
    var saver = deckSaver(deck);

    deck.classList.add("is-live");

    function say(text) { announce.textContent = text; }

    function setFlipped(card, flipped) {
      card.classList.toggle("flipped", flipped);
      var button = card.querySelector("[data-flip]");
      button.setAttribute("aria-pressed", flipped ? "true" : "false");
      card.querySelector("[data-front]").setAttribute("aria-hidden", flipped ? "true" : "false");
      card.querySelector("[data-back]").setAttribute("aria-hidden", flipped ? "false" : "true");
    }

    function show(index, focus) {
      position = Math.max(0, Math.min(order.length - 1, index));
      all.forEach(function (card) { card.hidden = true; });
      var card = order[position];
      setFlipped(card, false);
      card.hidden = false;
      progress.textContent = "Card " + (position + 1) + " of " + order.length;
      deck.querySelector("[data-prev]").disabled = position === 0;
      deck.querySelector("[data-next]").disabled = position === order.length - 1;
      summary.hidden = true;
      list.hidden = false;
      controls.hidden = false;
      progress.hidden = false;
      help.hidden = false;
      if (focus) { card.querySelector("[data-flip]").focus(); }
    }

    function finish() {
      if (saver) { saver.finishRound(ratings, summary.querySelector("[data-summary-next]")); }
      var knew = order.filter(function (card) { return ratings[card.dataset.card] === "knew"; }).length;
      var learning = order.length - knew;
      summary.querySelector("[data-summary-text]").textContent =
        "You knew " + knew + " of " + order.length + (order.length === 1 ? " card." : " cards.") +
        (learning ? " " + learning + " still to learn." : " Well done!");
      summary.querySelector("[data-again-learning]").hidden = learning === 0;
      list.hidden = true;
      controls.hidden = true;
      progress.hidden = true;
      help.hidden = true;
      summary.hidden = false;
      summary.focus();
    }

    function startWith(cards) {
      order = cards;
      ratings = {};
      show(0, true);
    }

    list.addEventListener("click", function (event) {
      var button = event.target.closest("[data-flip]");
      if (!button) { return; }
      var card = button.closest("[data-card]");
      var flipped = !card.classList.contains("flipped");
      setFlipped(card, flipped);
      var face = card.querySelector(flipped ? "[data-back] .face-text" : "[data-front] .face-text");
      say((flipped ? "Back: " : "Front: ") + face.textContent);
    });

    deck.addEventListener("keydown", function (event) {
      if (event.target.closest("input, select, textarea, summary")) { return; }
      if (event.key === "ArrowRight" && position < order.length - 1) { show(position + 1, true); }
      if (event.key === "ArrowLeft" && position > 0) { show(position - 1, true); }
    });

    deck.querySelector("[data-prev]").addEventListener("click", function () { show(position - 1, false); });
    deck.querySelector("[data-next]").addEventListener("click", function () { show(position + 1, false); });
    deck.querySelector("[data-shuffle]").addEventListener("click", function () {
      var cards = order.slice();
      for (var i = cards.length - 1; i > 0; i -= 1) {
        var j = Math.floor(Math.random() * (i + 1));
        var swap = cards[i]; cards[i] = cards[j]; cards[j] = swap;
      }
      cards.forEach(function (card) { list.appendChild(card); });
      order = cards;
      show(0, false);
      say("Shuffled. Card 1 of " + order.length + ".");
    });

    deck.querySelectorAll("[data-rate]").forEach(function (button) {
      button.addEventListener("click", function () {
        ratings[order[position].dataset.card] = button.dataset.rate;
        if (saver) { saver.rate(order[position].dataset.card, button.dataset.rate); }
        var next = order.findIndex(function (card, i) { return i > position && !ratings[card.dataset.card]; });
        if (next === -1) {
          next = order.findIndex(function (card) { return !ratings[card.dataset.card]; });
        }
        if (next === -1) { finish(); } else { show(next, true); }
      });
    });

    summary.querySelector("[data-again-learning]").addEventListener("click", function () {
      startWith(order.filter(function (card) { return ratings[card.dataset.card] !== "knew"; }));
    });
    summary.querySelector("[data-again-all]").addEventListener("click", function () { startWith(all.slice()); });

    show(0, false);
  }

  // A student's deck saves each rating (spaced repetition) and records each round finished.
  function deckSaver(deck) {
    var form = deck.querySelector("[data-deck-form]");
    if (!form) { return null; }
    var status = document.querySelector("[data-deck-status]");
    var queue = Promise.resolve();
    var rounds = 0;
    var latest = null;

    function post(url, fields) {
      var data = new URLSearchParams(new FormData(form));
      Object.keys(fields).forEach(function (name) { data.set(name, fields[name]); });
      return fetch(url, {
        method: "POST",
        body: data,
        headers: { "Accept": "application/json" },
        credentials: "same-origin",
        cache: "no-store"
      }).then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      });
    }

    function problem() {
      var note = deck.querySelector("[data-save-problem]");
      if (!note) {
        note = document.createElement("p");
        note.className = "check-problem";
        note.setAttribute("role", "alert");
        note.setAttribute("data-save-problem", "");
        deck.insertBefore(note, deck.firstChild);
      }
      note.textContent = "Your progress could not be saved just now. Check your connection; your next rating will try again.";
    }

    function saved() {
      var note = deck.querySelector("[data-save-problem]");
      if (note) { note.remove(); }
    }

    return {
      rate: function (card, rating) {
        // One at a time, in the order given: a card's ratings build on each other.
        queue = queue.then(function () {
          return post(deck.dataset.rateUrl, { card: card, rating: rating }).then(function (body) {
            latest = body;
            if (status) { status.textContent = body.text; }
            saved();
          }, problem);
        });
      },
      finishRound: function (ratings, next) {
        rounds += 1;
        var fields = {};
        Object.keys(ratings).forEach(function (card) { fields["r." + card] = ratings[card]; });
        // A round has its own key, so a resent round is recorded once.
        fields.submit_key = form.elements.submit_key.value + "-" + rounds;
        queue = queue.then(function () {
          if (latest && next) {
            next.textContent = latest.text;
            next.hidden = false;
          }
          return post(deck.dataset.submitUrl, fields).then(saved, problem);
        });
      }
    };
  }

  document.querySelectorAll("[data-deck]").forEach(initDeck);

  // --- players: matching by drag and drop (an enhancement over the selects) ---------------
  // The selects stay the answer: they are what the form posts, what a keyboard or a screen
  // reader uses, and all there is without this script. Dropping a definition on a term only
  // sets that term's select, and each term's drop zone shows what its select says. Pointer
  // Events, because touch screens never fire HTML5 drag events; on a touch screen a drag
  // starts from a definition's grip, so a swipe anywhere else still scrolls the page.
  var DRAG_AFTER = 6; // px a press moves before it is a drag: a click stays a click
  var EDGE = 56; // px from the window's top or bottom where a drag scrolls the page
  var EDGE_STEP = 14; // px scrolled per frame there

  function initMatching(list) {
    var root = list.closest("article") || document;
    var bank = root.querySelector("[data-match-bank]");
    var slotTemplate = root.querySelector("template[data-match-slot-template]");
    var announcer = root.querySelector("[data-match-announce]");
    var form = list.closest("form");
    var selects = list.querySelectorAll("select");
    if (!bank || !slotTemplate || !announcer || !form || !selects.length) { return; }
    // A submitted attempt's answers are shown, not changed.
    if (Array.prototype.some.call(selects, function (select) { return select.disabled; })) { return; }

    var choices = {};
    bank.querySelectorAll("[data-match-choice]").forEach(function (item) {
      choices[item.dataset.matchChoice] = {
        item: item,
        letter: item.dataset.letter,
        text: item.querySelector("[data-choice-text]").textContent
      };
      var grip = document.createElement("span");
      grip.className = "match-grip";
      grip.setAttribute("aria-hidden", "true");
      item.insertBefore(grip, item.firstChild);
    });

    var terms = Array.prototype.map.call(list.querySelectorAll("[data-item]"), function (item) {
      var select = item.querySelector("select");
      var label = item.querySelector("label");
      var slot = slotTemplate.content.firstElementChild.cloneNode(true);
      slot.querySelector("[data-clear-term]").textContent = label.textContent;
      item.insertBefore(slot, select);
      item.classList.add("has-slot");
      return {
        item: item,
        select: select,
        name: label.textContent,
        slot: slot,
        chip: slot.querySelector("[data-match-chip]"),
        clear: slot.querySelector("[data-match-clear]")
      };
    });

    bank.classList.add("is-draggable");
    list.classList.add("is-droppable");
    var hint = root.querySelector("[data-match-hint]");
    if (hint) { hint.hidden = false; }

    function say(text) { announcer.textContent = text; }

    function termOf(element) {
      var item = element && element.closest("[data-item]");
      return terms.find(function (term) { return term.item === item; }) || null;
    }

    // Each drop zone and the list of definitions show what the selects say.
    function show() {
      var used = {};
      terms.forEach(function (term) {
        var choice = choices[term.select.value];
        term.slot.classList.toggle("is-filled", Boolean(choice));
        term.chip.hidden = !choice;
        term.clear.hidden = !choice;
        if (choice) {
          used[term.select.value] = true;
          term.chip.querySelector("[data-chip-letter]").textContent = choice.letter;
          term.chip.querySelector("[data-chip-text]").textContent = choice.text;
        }
      });
      Object.keys(choices).forEach(function (value) {
        choices[value].item.classList.toggle("is-used", Boolean(used[value]));
      });
    }

    function changed(term) {
      term.select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    // A definition dropped on a term leaves any term it was on before: it is moved, not copied.
    function place(term, value) {
      var choice = choices[value];
      var left = terms.filter(function (other) { return other !== term && other.select.value === value; });
      left.forEach(function (other) {
        other.select.value = "";
        changed(other);
      });
      term.select.value = value;
      changed(term);
      term.slot.classList.add("just-filled");
      window.setTimeout(function () { term.slot.classList.remove("just-filled"); }, 700);
      say(term.name + " matched with " + choice.letter + ": " + choice.text + "." +
        left.map(function (other) { return " " + other.name + " no longer has a match."; }).join(""));
    }

    function unplace(term) {
      term.select.value = "";
      changed(term);
      say(term.name + ": match cleared.");
    }

    list.addEventListener("change", function (event) {
      if (event.target.tagName === "SELECT") { show(); }
    });
    list.addEventListener("click", function (event) {
      var button = event.target.closest("[data-match-clear]");
      if (!button) { return; }
      var term = termOf(button);
      unplace(term);
      term.select.focus();
    });
    // "Start again" on a teacher's preview empties the selects without a change event.
    document.addEventListener("click", function (event) {
      var again = event.target.closest("[data-start-again]");
      if (again && form.contains(again)) { show(); }
    });
    // The browser may put back a page's earlier choices when the student comes back to it.
    window.addEventListener("pageshow", show);

    // --- dragging ---
    var drag = null;

    function dragSource(event) {
      var item = event.target.closest("[data-match-choice]");
      if (item && bank.contains(item)) { return { element: item, value: item.dataset.matchChoice, from: null }; }
      var chip = event.target.closest("[data-match-chip]");
      var term = chip && termOf(chip);
      if (term && term.select.value) { return { element: chip, value: term.select.value, from: term }; }
      return null;
    }

    function ghostFor(value) {
      var choice = choices[value];
      var ghost = document.createElement("div");
      ghost.className = "match-ghost";
      ghost.setAttribute("aria-hidden", "true");
      var grip = document.createElement("span");
      grip.className = "match-grip";
      var letter = document.createElement("span");
      letter.className = "letter";
      letter.textContent = choice.letter;
      var text = document.createElement("span");
      text.textContent = choice.text;
      ghost.appendChild(grip);
      ghost.appendChild(letter);
      ghost.appendChild(text);
      return ghost;
    }

    // What lies under the pointer: a term, the list of definitions, or nothing.
    function targetAt(x, y) {
      var under = document.elementFromPoint(x, y);
      if (!under) { return null; }
      if (bank.contains(under)) { return "bank"; }
      return list.contains(under) ? termOf(under) : null;
    }

    function follow(x, y) {
      drag.x = x;
      drag.y = y;
      // Moved with the CSS object model, which a style-src 'self' policy allows.
      drag.ghost.style.transform = "translate(" + (x - drag.grabX) + "px, " + (y - drag.grabY) + "px)";
      var target = targetAt(x, y);
      if (target !== drag.over) {
        if (drag.over && drag.over !== "bank") { drag.over.item.classList.remove("is-over"); }
        if (target && target !== "bank") { target.item.classList.add("is-over"); }
        drag.over = target;
      }
    }

    // Near the window's edge the page scrolls, so a term below the fold can be reached.
    function scrollNearEdge() {
      if (!drag || !drag.ghost) { return; }
      var step = drag.y < EDGE ? -EDGE_STEP : drag.y > window.innerHeight - EDGE ? EDGE_STEP : 0;
      if (step) {
        var before = window.scrollY;
        window.scrollBy(0, step);
        if (window.scrollY !== before) { follow(drag.x, drag.y); }
      }
      drag.frame = window.requestAnimationFrame(scrollNearEdge);
    }

    function begin() {
      drag.ghost = ghostFor(drag.value);
      document.body.appendChild(drag.ghost);
      drag.grabX = 18;
      drag.grabY = drag.ghost.offsetHeight / 2;
      drag.element.classList.add("is-dragged");
      list.classList.add("is-dragging");
      follow(drag.x, drag.y);
      drag.frame = window.requestAnimationFrame(scrollNearEdge);
    }

    function end(drop) {
      var done = drag;
      drag = null;
      if (!done.ghost) { return; }
      window.cancelAnimationFrame(done.frame);
      done.ghost.remove();
      done.element.classList.remove("is-dragged");
      list.classList.remove("is-dragging");
      if (done.over && done.over !== "bank") { done.over.item.classList.remove("is-over"); }
      if (!drop || !done.over) { return; }
      if (done.over === "bank") {
        if (done.from) { unplace(done.from); }
      } else if (done.over !== done.from) {
        place(done.over, done.value);
      }
    }

    function press(event) {
      if (drag || !event.isPrimary || event.button !== 0) { return; }
      if (event.pointerType !== "mouse" && !event.target.closest(".match-grip")) { return; }
      var source = dragSource(event);
      if (!source) { return; }
      event.preventDefault();
      drag = {
        element: source.element, value: source.value, from: source.from, pointer: event.pointerId,
        startX: event.clientX, startY: event.clientY, x: event.clientX, y: event.clientY,
        ghost: null, over: null, frame: 0
      };
      source.element.setPointerCapture(event.pointerId);
    }

    function move(event) {
      if (!drag || event.pointerId !== drag.pointer) { return; }
      if (!drag.ghost) {
        var moved = Math.abs(event.clientX - drag.startX) + Math.abs(event.clientY - drag.startY);
        if (moved < DRAG_AFTER) { return; }
        drag.x = event.clientX;
        drag.y = event.clientY;
        begin();
      }
      event.preventDefault();
      follow(event.clientX, event.clientY);
    }

    function release(event) {
      if (drag && event.pointerId === drag.pointer) { end(event.type === "pointerup"); }
    }

    [bank, list].forEach(function (area) {
      area.addEventListener("pointerdown", press);
      area.addEventListener("pointermove", move);
      area.addEventListener("pointerup", release);
      area.addEventListener("pointercancel", release);
      area.addEventListener("lostpointercapture", release);
      // The browser's own drag of selected text would fight the pointer.
      area.addEventListener("dragstart", function (event) {
        if (event.target.closest && event.target.closest("[data-match-choice], [data-match-chip]")) {
          event.preventDefault();
        }
      });
    });
    document.addEventListener("keydown", function (event) {
      if (drag && event.key === "Escape") { end(false); }
    });

    show();
  }

  document.querySelectorAll("[data-match-terms]").forEach(initMatching);

  // --- a student's answers are sent once ----------------------------------------------------
  document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sent) {
        event.preventDefault();
        return;
      }
      form.dataset.sent = "true";
      form.querySelectorAll("[data-submit]").forEach(function (button) {
        button.setAttribute("aria-disabled", "true");
      });
    });
  });

  // --- times in the student's own time zone -----------------------------------------------
  document.querySelectorAll("time[data-local]").forEach(function (element) {
    var moment = new Date(element.getAttribute("datetime"));
    if (isNaN(moment.getTime())) { return; }
    element.textContent = moment.toLocaleString(document.documentElement.lang || undefined, {
      dateStyle: "full",
      timeStyle: "short"
    });
  });

  // --- the LMS frame follows the page's height (lti.frameResize) --------------------------
  function followHeight() {
    if (window.parent === window || document.body.dataset.role !== "student") { return; }
    var sent = 0;
    var waiting = false;
    function send() {
      waiting = false;
      var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
      if (height === sent) { return; }
      sent = height;
      window.parent.postMessage({ subject: "lti.frameResize", height: height }, "*");
    }
    function soon() {
      if (!waiting) {
        waiting = true;
        window.requestAnimationFrame(send);
      }
    }
    send();
    window.addEventListener("load", soon);
    window.addEventListener("resize", soon);
    if (window.ResizeObserver) { new ResizeObserver(soon).observe(document.body); }
  }

  followHeight();
})();
