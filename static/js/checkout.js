// Checkout (ORD-2, DLV-2): when the city or the delivery method changes, fetch the delivery options, payment
// methods and the total for them and swap those parts of the form in place — typed fields stay as they are.
// Progressive enhancement only: without this file the "Recalculate" button asks the server for the same page.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-checkout-form]");
  if (!form || !window.fetch || !window.DOMParser) return;
  const status = form.querySelector("[data-checkout-status]");
  const recalculate = form.querySelector("[data-recalculate]");
  let pending = null;

  const value = (name) => {
    const checked = form.querySelector(`input[type=radio][name="${name}"]:checked`);
    if (checked) return checked.value;
    const field = form.querySelector(`[name="${name}"]:not([type=radio])`);
    return field ? field.value : "";
  };

  // Only the field that fits the chosen method is shown: an address, or a pickup point.
  const toggleDeliveryFields = () => {
    const pickup = value("delivery_method") === "pickup";
    const address = form.querySelector("[data-address-field]");
    const point = form.querySelector("[data-pickup-field]");
    if (address) address.hidden = pickup;
    if (point) point.hidden = !pickup;
  };

  const say = (text) => { if (status) status.textContent = text; };

  const refresh = async () => {
    const params = new URLSearchParams({
      city: value("city"),
      method: value("delivery_method"),
      payment: value("payment_method"),
      pickup_point: value("pickup_point"),
    });
    if (pending) pending.abort();
    pending = new AbortController();
    // Replacing a part would drop the keyboard focus (arrow keys move through radio buttons): remember it.
    const active = document.activeElement;
    const focused = active && form.contains(active) && active.name ? [active.name, active.value] : null;
    form.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(`${form.dataset.quoteUrl}?${params}`, {
        credentials: "same-origin",
        headers: { Accept: "text/html" },
        signal: pending.signal,
      });
      const html = await response.text();
      const fresh = new DOMParser().parseFromString(html, "text/html");
      if (!response.ok) {
        say(fresh.body.textContent.trim() || form.dataset.failedText);
        if (recalculate) recalculate.hidden = false;
        return;
      }
      fresh.querySelectorAll("[data-checkout-part]").forEach((part) => {
        const current = form.querySelector(`[data-checkout-part="${part.dataset.checkoutPart}"]`);
        if (current) current.replaceWith(document.importNode(part, true));
      });
      if (focused) {
        const selector = `[name="${CSS.escape(focused[0])}"][value="${CSS.escape(focused[1])}"]`;
        const again = form.querySelector(selector) || form.querySelector(`[name="${CSS.escape(focused[0])}"]`);
        if (again && again !== document.activeElement) again.focus();
      }
      toggleDeliveryFields();
      say(form.dataset.updatedText);
    } catch (error) {
      if (error.name === "AbortError") return;
      say(form.dataset.failedText);
      if (recalculate) recalculate.hidden = false;
    } finally {
      form.removeAttribute("aria-busy");
    }
  };

  form.addEventListener("change", (event) => {
    const name = event.target.name;
    if (name === "city" || name === "delivery_method") refresh();
  });
  if (recalculate) recalculate.hidden = true;  // the cost follows the choices by itself
  toggleDeliveryFields();
  if (value("city")) refresh();  // the pickup list shrinks to the chosen city's points
});
