// A tool that sends the user to the return_url inside its iframe would nest the LMS
// in itself; show the course page in the whole window instead.
(function () {
  "use strict";
  if (window.top !== window.self) {
    try {
      window.top.location.href = window.location.href;
    } catch (error) {
      // a foreign page framed us: stay put rather than fight it
    }
  }
})();
