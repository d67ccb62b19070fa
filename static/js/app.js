// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  // A button with data-confirm asks before submitting its form (the server still checks).
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
  // Language and other auto-submitting selects: submit on change; the button stays for no-JS use.
  document.addEventListener("change", function (event) {
    if (event.target.matches("select[data-autosubmit]")) {
      event.target.form.requestSubmit();
    }
  });
})();
