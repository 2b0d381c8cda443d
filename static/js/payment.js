// The payment result page while the provider has not answered yet: reload every few seconds (the page works
// without this: the "I have paid — check now" button asks too). Stops after ten minutes.
(function () {
  "use strict";
  var box = document.querySelector("[data-payment-waiting]");
  if (!box) { return; }
  var started = Date.now();
  function tick() {
    if (Date.now() - started > 10 * 60 * 1000) { return; }
    fetch(box.getAttribute("data-payment-waiting"), { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        if (html.indexOf("data-payment-waiting") === -1) { window.location.reload(); return; }
        window.setTimeout(tick, 4000);
      })
      .catch(function () { window.setTimeout(tick, 8000); });
  }
  window.setTimeout(tick, 3000);
})();
