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

// Issue 15: as-you-type suggestions on a search box with data-suggest (an ARIA 1.2 combobox with a listbox
// popup: Down/Up move through the suggestions, Enter opens the chosen one, Escape closes the list). Without
// JavaScript, or when the suggestions cannot be fetched, the form searches as before.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input[data-suggest]").forEach((input) => {
    const list = document.createElement("ul");
    list.id = `${input.id}-suggestions`;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.dataset.suggestLabel || "");
    list.hidden = true;
    const status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    input.form.classList.add("has-suggestions");
    input.form.append(list, status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("autocomplete", "off");
    let items = [];
    let active = -1;
    let timer = null;
    let controller = null;

    const open = () => { list.hidden = false; input.setAttribute("aria-expanded", "true"); };
    const close = () => {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    };
    const highlight = (index) => {
      active = index;
      list.querySelectorAll("[role=option]").forEach((option, i) => {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
        if (i === index) input.setAttribute("aria-activedescendant", option.id);
      });
    };
    const show = (data) => {
      items = data.items || [];
      list.replaceChildren(...items.map((item, i) => {
        const option = document.createElement("li");
        option.id = `${list.id}-${i}`;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.className = `suggestion ${item.kind}`;
        option.textContent = item.label;
        if (item.kind === "category" && input.dataset.suggestCategory) {
          const kind = document.createElement("span");
          kind.className = "suggestion-kind";
          kind.textContent = ` — ${input.dataset.suggestCategory}`;
          option.append(kind);
        }
        option.addEventListener("mousedown", (event) => { event.preventDefault(); window.location.assign(item.url); });
        return option;
      }));
      active = -1;
      if (items.length) {
        open();
        status.textContent = (input.dataset.suggestCount || "%s").replace("%s", items.length);
      } else {
        close();
        status.textContent = "";
      }
    };

    input.addEventListener("input", () => {
      clearTimeout(timer);
      const q = input.value.trim();
      if (q.length < 2) { close(); return; }
      timer = setTimeout(async () => {
        if (controller) controller.abort();
        controller = new AbortController();
        try {
          const response = await fetch(`${input.dataset.suggest}?q=${encodeURIComponent(q)}`, {
            signal: controller.signal, headers: { Accept: "application/json" },
          });
          if (!response.ok) { close(); return; }
          show(await response.json());
        } catch (error) {
          if (error.name !== "AbortError") close();
        }
      }, 150);
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown" && items.length) {
        event.preventDefault();
        open();
        highlight((active + 1) % items.length);
      } else if (event.key === "ArrowUp" && !list.hidden && items.length) {
        event.preventDefault();
        highlight((active - 1 + items.length) % items.length);
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault();
        window.location.assign(items[active].url);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", () => setTimeout(close, 150));
  });
});
