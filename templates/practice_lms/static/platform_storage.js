// LTI platform storage (1EdTech "LTI Client Side postMessages"): the tool in the iframe
// keeps small values (its OIDC state and nonce) here when its cookies are blocked.
// Only the tool's origin, from the tool's own frame, is answered.
(function () {
  "use strict";
  var frame = document.getElementById("tool-frame");
  if (!frame) {
    return;
  }
  var toolOrigin = frame.getAttribute("data-tool-origin");
  var MAX_KEYS = 200;
  var MAX_LENGTH = 4096;
  var store = new Map(); // "<origin> <key>" -> value, for this page's life
  var SUPPORTED = [
    { subject: "lti.capabilities" },
    { subject: "lti.put_data", frame: "_parent" },
    { subject: "lti.get_data", frame: "_parent" },
    { subject: "lti.frameResize" }
  ];

  function storageKey(origin, key) {
    return origin + " " + key;
  }

  function reply(event, request, body) {
    var message = { subject: request.subject + ".response", message_id: request.message_id };
    Object.keys(body).forEach(function (name) {
      message[name] = body[name];
    });
    event.source.postMessage(message, event.origin);
  }

  function fail(event, request, code, text) {
    reply(event, request, { error: { code: code, message: text } });
  }

  function validKey(request) {
    return typeof request.key === "string" && request.key.length > 0 &&
      request.key.length <= MAX_LENGTH;
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== toolOrigin || event.source !== frame.contentWindow) {
      return;
    }
    var request = event.data;
    if (!request || typeof request !== "object" || typeof request.subject !== "string") {
      return;
    }
    switch (request.subject) {
      case "lti.capabilities":
        reply(event, request, { supported_messages: SUPPORTED });
        break;
      case "lti.put_data":
        if (!validKey(request) || typeof request.value !== "string" ||
            request.value.length > MAX_LENGTH) {
          fail(event, request, "bad_request", "put_data needs a string key and value.");
          return;
        }
        if (!store.has(storageKey(event.origin, request.key)) && store.size >= MAX_KEYS) {
          fail(event, request, "storage_exhaustion", "Too many keys are stored.");
          return;
        }
        store.set(storageKey(event.origin, request.key), request.value);
        reply(event, request, { key: request.key, value: request.value });
        break;
      case "lti.get_data":
        if (!validKey(request)) {
          fail(event, request, "bad_request", "get_data needs a string key.");
          return;
        }
        reply(event, request, {
          key: request.key,
          value: store.get(storageKey(event.origin, request.key))
        });
        break;
      case "lti.frameResize":
        var height = Number(request.height);
        if (isFinite(height) && height > 0) {
          frame.style.height = Math.min(Math.max(height, 200), 20000) + "px";
        }
        break;
      default:
        if (request.subject.indexOf("lti.") === 0 && !/\.response$/.test(request.subject)) {
          fail(event, request, "unsupported_subject", "This LMS does not handle " +
            request.subject + ".");
        }
    }
  });
})();
