// The wording guide's hint beside a free-text field (partnership/wording.py). Progressive
// enhancement: a field marked `data-wording-hint="<check URL>"` sends what is typed, after a pause,
// to the partnership's wording check, and shows the suggestions under the field. Nothing here stops
// the form from being saved, and without JavaScript the field works exactly the same.
const PAUSE_MS = 700;

function hintBox(field) {
  const box = document.createElement("div");
  box.id = `${field.id || field.name}-wording-hint`;
  box.className = "app-wording-hint";
  box.setAttribute("aria-live", "polite");
  box.dataset.testid = "wording-hint";
  field.insertAdjacentElement("afterend", box);
  return box;
}

function paragraph(className, parts) {
  const p = document.createElement("p");
  p.className = className;
  for (const part of parts) {
    if (typeof part === "string") {
      p.append(document.createTextNode(part));
    } else {
      p.append(part);
    }
  }
  return p;
}

function strong(text) {
  const element = document.createElement("strong");
  element.textContent = text;
  return element;
}

function show(box, hints) {
  box.replaceChildren();
  if (!hints.length) {
    box.classList.remove("govuk-inset-text");
    return;
  }
  box.classList.add("govuk-inset-text", "govuk-!-margin-top-2");
  box.append(paragraph("govuk-body-s govuk-!-font-weight-bold govuk-!-margin-bottom-1", ["Could you say it another way? Families may read this."]));
  for (const hint of hints) {
    box.append(paragraph("govuk-body-s govuk-!-margin-bottom-1", [strong(`“${hint.found}”`), `: ${hint.why}`]));
    box.append(paragraph("govuk-body-s", [strong("Instead: "), hint.instead]));
  }
  box.append(paragraph("govuk-body-s govuk-!-margin-bottom-0", ["This is a suggestion: you can save your words as they are."]));
}

async function check(field, box) {
  const form = field.closest("form");
  const token = form && form.querySelector("input[name=csrfmiddlewaretoken]");
  if (!token) {
    return;
  }
  const body = new FormData();
  body.append("text", field.value);
  body.append("csrfmiddlewaretoken", token.value);
  try {
    const response = await fetch(field.dataset.wordingHint, { method: "POST", body, credentials: "same-origin", headers: { Accept: "application/json" } });
    if (response.ok) {
      show(box, (await response.json()).hints || []);
    }
  } catch {
    // No hint is better than an error: the practitioner can always save.
  }
}

export function initWordingHints(root = document) {
  for (const field of root.querySelectorAll("[data-wording-hint]")) {
    const box = hintBox(field);
    let timer;
    field.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => check(field, box), PAUSE_MS);
    });
    if (field.value.trim()) {
      check(field, box);
    }
  }
}
