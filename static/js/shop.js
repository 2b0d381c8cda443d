// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // On wide screens the filters are open from the start; on phones they stay folded under their summary.
  if (window.matchMedia("(min-width: 800px)").matches) {
    document.querySelectorAll("details.filter-box").forEach((box) => { box.open = true; });
  }
  // Changing the sort order applies it at once (the "Show" button does the same without JavaScript).
  document.querySelectorAll("form.filters select[name=sort]").forEach((select) => {
    select.addEventListener("change", () => select.form.requestSubmit());
  });
});

// Cookie consent (LEG-2): the banner's form is posted in the background and the banner goes away; without
// JavaScript (or if the request fails) the same form posts normally and the server redirects back.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form[data-consent-form]").forEach((form) => {
    form.addEventListener("submit", async (event) => {
      if (form.dataset.plain || !window.fetch) return;
      event.preventDefault();
      const data = new FormData(form);
      if (event.submitter && event.submitter.name) data.set(event.submitter.name, event.submitter.value);
      try {
        const response = await fetch(form.action, {
          method: "POST", body: data, credentials: "same-origin", headers: { Accept: "application/json" },
        });
        if (!response.ok) throw new Error(`consent: ${response.status}`);
        const banner = form.closest("[data-consent-banner]");
        if (banner) banner.remove();
        const main = document.getElementById("main");
        if (main) main.focus();  // the focused button is gone: continue at the content
      } catch (error) {
        form.dataset.plain = "1";
        form.requestSubmit(event.submitter || undefined);
      }
    });
  });
});
