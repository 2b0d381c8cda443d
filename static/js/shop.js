// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Changing the sort order applies it at once (the "Show" button does the same without JavaScript).
  document.querySelectorAll("form.filters select[name=sort]").forEach((select) => {
    select.addEventListener("change", () => select.form.requestSubmit());
  });
});
