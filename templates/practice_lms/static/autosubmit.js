// Posts the id_token form to the tool as soon as the page loads (OIDC form_post).
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosubmit]");
  if (form) {
    form.submit();
  }
})();
