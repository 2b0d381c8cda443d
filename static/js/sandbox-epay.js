// Sandbox stand-in for Halyk Bank's payment-api.js (PAY-6): window.halyk.pay(params) takes the browser to the
// bank's hosted page with a real form POST, as the bank's script does. Served at /payments/sandbox/epay/payment-api.js.
(function () {
  "use strict";
  var script = document.currentScript;
  var page = script && script.src ? script.src.replace(/payment-api\.js(\?.*)?$/, "pay/") : "/payments/sandbox/epay/pay/";

  function field(form, name, value) {
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value === undefined || value === null ? "" : String(value);
    form.appendChild(input);
  }

  function pay(params) {
    var form = document.createElement("form");
    form.method = "post";
    form.action = page;
    Object.keys(params || {}).forEach(function (name) {
      var value = params[name];
      if (name === "auth") {
        field(form, "auth", value && typeof value === "object" ? value.access_token : value);
      } else if (value && typeof value === "object") {
        field(form, name, JSON.stringify(value));
      } else {
        field(form, name, value);
      }
    });
    document.body.appendChild(form);
    form.submit();
  }

  window.halyk = window.halyk || {};
  window.halyk.pay = pay;
})();
