// Formats translation strings the way Home Assistant's frontend does (intl-messageformat).
// stdin: [{"key", "text", "language", "values"}]; stdout: {key: {"ok": text} | {"error": why}}.
import { IntlMessageFormat } from "intl-messageformat";

let input = "";
for await (const chunk of process.stdin) input += chunk;
const out = {};
for (const { key, text, language, values } of JSON.parse(input)) {
  try {
    out[key] = { ok: String(new IntlMessageFormat(text, language).format(values)) };
  } catch (err) {
    out[key] = { error: String(err.message || err) };
  }
}
process.stdout.write(JSON.stringify(out));
