// Sandbox stand-in for the CloudPayments / TipTop Pay widget script (PAY-6). Two roles:
// 1. On the shop's page it defines `window.cp.CloudPayments` with `pay(type, options, callbacks)` and `charge(...)`,
//    opening the sandbox card form in a modal <dialog> frame, like the real widget's overlay. When the frame says
//    how the payment ended it calls onSuccess / onFail(reason) and onComplete({success, code, message}).
// 2. Inside that frame (the sandbox's own pages) it reports the outcome to the opener with postMessage, and turns
//    "Cancel" / Escape into the widget's "User has cancelled".
(function () {
  "use strict";
  var MESSAGE = "cp-sandbox-result";
  var CANCELLED = "User has cancelled";
  var script = document.currentScript;
  var base = script && script.src ? script.src.replace(/[^/]*(\?.*)?$/, "") : "/payments/sandbox/cloudpayments/";

  // --- inside the frame ----------------------------------------------------------------------------------------
  function tellOpener(data) {
    if (window.parent && window.parent !== window) {
      window.parent.postMessage(Object.assign({ type: MESSAGE }, data), window.location.origin);
    }
  }

  function framePage() {
    var result = document.querySelector("[data-cp-sandbox-result]");
    var inFrame = window.parent && window.parent !== window;
    document.querySelectorAll("[data-cp-sandbox-cancel]").forEach(function (button) {
      if (!inFrame) { button.hidden = true; return; }
      button.addEventListener("click", function () {
        if (result) { report(); } else { tellOpener({ success: false, reason: CANCELLED, code: "" }); }
      });
    });
    if (inFrame) {
      document.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && !result) { tellOpener({ success: false, reason: CANCELLED, code: "" }); }
      });
    }
    function report() {
      var success = result.getAttribute("data-cp-sandbox-result") === "success";
      var reason = result.querySelector("[data-cp-sandbox-reason]");
      tellOpener({
        success: success,
        code: result.getAttribute("data-code") || "",
        reason: success ? "" : (reason ? reason.textContent.trim() : "Declined"),
        invoiceId: result.getAttribute("data-invoice") || ""
      });
    }
    if (result && inFrame) { window.setTimeout(report, 600); }  // let the customer see the outcome for a moment
  }

  if (document.querySelector("[data-cp-sandbox-form], [data-cp-sandbox-result]") || window.parent !== window) {
    if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", framePage); } else { framePage(); }
    return;
  }

  // --- on the shop's page: the widget ----------------------------------------------------------------------------
  function CloudPayments(init) {
    this.language = (init && init.language) || "ru-RU";
  }

  CloudPayments.prototype.pay = function (type, options, callbacks) {
    callbacks = callbacks || {};
    options = options || {};
    var language = this.language;
    var query = new URLSearchParams({
      publicId: options.publicId || "",
      description: options.description || "",
      amount: options.amount === undefined ? "" : String(options.amount),
      currency: options.currency || "KZT",
      invoiceId: options.invoiceId || "",
      accountId: options.accountId || "",
      email: options.email || "",
      language: language
    });
    var opener = document.activeElement;
    var dialog = document.createElement("dialog");
    dialog.className = "cp-sandbox-dialog";
    dialog.setAttribute("aria-label", "CloudPayments (sandbox)");
    dialog.style.cssText = "width:min(32rem,96vw);height:min(44rem,92vh);padding:0;border:0;border-radius:8px;" +
      "box-shadow:0 10px 40px rgba(0,0,0,.35);overflow:hidden";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "×";
    close.setAttribute("aria-label", "Close the card form");
    close.style.cssText = "position:absolute;top:.3rem;right:.3rem;font-size:1.4rem;line-height:1;padding:.2rem .55rem;" +
      "background:#fff;color:#1d2430;border:1px solid #7b8594;border-radius:4px;cursor:pointer";
    var frame = document.createElement("iframe");
    frame.title = "Card payment form (CloudPayments sandbox)";
    frame.name = "cloudpayments-sandbox";
    frame.src = base + "form/?" + query.toString();
    frame.style.cssText = "width:100%;height:100%;border:0;display:block";
    dialog.appendChild(frame);
    dialog.appendChild(close);
    document.body.appendChild(dialog);
    var finished = false;

    function finish(result) {
      if (finished) { return; }
      finished = true;
      window.removeEventListener("message", onMessage);
      if (dialog.open) { dialog.close(); }
      dialog.remove();
      if (opener && opener.focus) { opener.focus(); }
      var outcome = { success: !!result.success, code: result.code || "", message: result.reason || "" };
      if (outcome.success) {
        if (callbacks.onSuccess) { callbacks.onSuccess(options); }
      } else if (callbacks.onFail) {
        callbacks.onFail(result.reason || "Declined", options);
      }
      if (callbacks.onComplete) { callbacks.onComplete(outcome, options); }
    }

    function onMessage(event) {
      if (event.origin !== window.location.origin || event.source !== frame.contentWindow) { return; }
      var data = event.data;
      if (!data || data.type !== MESSAGE) { return; }
      finish(data);
    }

    window.addEventListener("message", onMessage);
    close.addEventListener("click", function () { finish({ success: false, reason: CANCELLED }); });
    dialog.addEventListener("cancel", function (event) {
      event.preventDefault();
      finish({ success: false, reason: CANCELLED });
    });
    frame.addEventListener("load", function () { frame.focus(); });
    dialog.showModal();
    return this;
  };

  CloudPayments.prototype.charge = function (options, onSuccess, onFail, onComplete) {
    return this.pay("charge", options, { onSuccess: onSuccess, onFail: onFail, onComplete: onComplete });
  };

  CloudPayments.prototype.auth = function (options, onSuccess, onFail, onComplete) {
    return this.pay("auth", options, { onSuccess: onSuccess, onFail: onFail, onComplete: onComplete });
  };

  window.cp = window.cp || {};
  window.cp.CloudPayments = CloudPayments;
})();
