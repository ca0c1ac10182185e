// Progressive enhancement only: every page works without JavaScript.
import { initAll } from "../build/govuk-frontend.min.js";
import { initWordingHints } from "./wording.mjs";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
initWordingHints();
