// Copies GOV.UK Frontend's JavaScript and images next to the compiled CSS (fonts are not copied:
// the product does not use the GDS Transport font).
import { cpSync, mkdirSync } from "node:fs";

const dist = "node_modules/govuk-frontend/dist/govuk";
mkdirSync("static/build/assets", { recursive: true });
cpSync(`${dist}/govuk-frontend.min.js`, "static/build/govuk-frontend.min.js");
cpSync(`${dist}/assets/images`, "static/build/assets/images", { recursive: true });
