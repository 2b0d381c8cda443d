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
