// The CloudPayments / TipTop Pay card widget on our payment page (PAY-2): the provider's script takes the card
// data in its own window; we only hand it the order's invoice and then go to the result page, which shows what the
// provider's signed notification told the server. Without this script the page explains that JavaScript is needed.
(function () {
  "use strict";
  var box = document.querySelector("[data-cloudpayments]");
  var source = document.getElementById("cloudpayments-options");
  if (!box || !source) { return; }
  var options = JSON.parse(source.textContent);
  var button = box.querySelector("[data-cloudpayments-pay]");
  var status = box.querySelector("[data-cloudpayments-status]");
  var CANCELLED = "User has cancelled";
  var leaving = false;

  function toResult() {
    if (leaving) { return; }
    leaving = true;
    window.location.assign(options.result_url);
  }

  function reopen(message) {
    button.disabled = false;
    status.textContent = message || "";
    button.focus();
  }

  button.hidden = false;
  button.addEventListener("click", function () {
    if (!window.cp || typeof window.cp.CloudPayments !== "function") {
      status.textContent = box.getAttribute("data-msg-unavailable");
      return;
    }
    button.disabled = true;
    status.textContent = "";
    var widget = new window.cp.CloudPayments({ language: options.language });
    widget.pay("charge", {
      publicId: options.publicId,
      description: options.description,
      amount: Number(options.amount),
      currency: options.currency,
      invoiceId: options.invoiceId,
      accountId: options.accountId,
      email: options.email,
      skin: "classic"
    }, {
      onSuccess: function () { toResult(); },
      onFail: function (reason) {
        if (reason === CANCELLED) { reopen(box.getAttribute("data-msg-cancelled")); return; }
        toResult();  // declined: the result page says why (from the provider's Fail notification) and offers a retry
      },
      onComplete: function (result) {
        if (result && result.success) { toResult(); }
      }
    });
  });
})();
