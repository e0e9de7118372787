// LTI platform storage (1EdTech "Client Side postMessages"): keep the login proof in the
// LMS page instead of a third-party cookie. Falls back to the cookie after a short wait.
(function () {
  "use strict";
  var el = document.getElementById("lti-storage");
  if (!el) { return; }
  var mode = el.dataset.mode, origin = el.dataset.origin, key = el.dataset.key;
  var name = el.dataset.target || "_parent";
  var target = window.parent;
  if (name !== "_parent") {
    try { target = window.parent.frames[name] || window.parent; } catch (e) { target = window.parent; }
  }
  var messageId = (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : String(Math.random()).slice(2);
  var done = false;

  function finish(value) {
    if (done) { return; }
    done = true;
    if (mode === "put") {
      window.location.replace(el.dataset.next);
    } else {
      if (value) { el.elements.lti_storage_proof.value = value; }
      el.submit();
    }
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== origin || !event.data || event.data.message_id !== messageId) { return; }
    var subject = event.data.subject;
    if (subject === "lti.put_data.response") { finish(); }
    if (subject === "lti.get_data.response") { finish(event.data.value); }
  });

  var message = { subject: mode === "put" ? "lti.put_data" : "lti.get_data", message_id: messageId, key: key };
  if (mode === "put") { message.value = el.dataset.value; }
  if (window.parent === window || !origin) { finish(); return; }
  try { target.postMessage(message, origin); } catch (e) { finish(); return; }
  window.setTimeout(finish, 2500);
}());
