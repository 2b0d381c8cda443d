// The Epay step of the payment page: a button that hands the prepared payment (with its OAuth token) to Halyk
// Bank's payment-api.js, which opens the bank's card page. Without JavaScript the page says so (<noscript>).
(function () {
  "use strict";
  var data = document.getElementById("epay-payment");
  var button = document.getElementById("epay-pay");
  var trouble = document.getElementById("epay-unavailable");
  if (!data || !button) { return; }
  var params = JSON.parse(data.textContent);
  button.hidden = false;
  button.addEventListener("click", function () {
    if (!window.halyk || typeof window.halyk.pay !== "function") {
      if (trouble) { trouble.hidden = false; trouble.focus(); }
      return;
    }
    button.disabled = true;
    window.halyk.pay(params);
  });
})();
