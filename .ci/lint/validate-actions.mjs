// Validates GitHub workflow and composite action files with GitHub's own parser (@actions/workflow-parser, the
// schema and converter behind GitHub's Actions language service). Usage:
//   node validate-actions.mjs workflow <file>... action <file>...
// Prints one line per problem ("<file>: <message>") and exits 1 when there is any, 0 when every file is valid.
import { readFileSync } from "node:fs";
import { register } from "node:module";

// The parser is published for bundlers: it imports its schema JSON without the `type: "json"` attribute that
// Node requires. This hook adds the attribute, so the package runs unbundled.
register("data:text/javascript," + encodeURIComponent(
  "export async function load(url, context, next) {" +
  " return url.endsWith('.json') ? next(url, { ...context, importAttributes: { type: 'json' } }) : next(url, context); }"));
const { NoOperationTraceWriter, convertWorkflowTemplate, parseWorkflow } = await import("@actions/workflow-parser");
const { convertActionTemplate, parseAction } = await import("@actions/workflow-parser/actions/index");

const trace = new NoOperationTraceWriter();
let kind = null;
let problems = 0;
let checked = 0;
for (const arg of process.argv.slice(2)) {
  if (arg === "workflow" || arg === "action") {
    kind = arg;
    continue;
  }
  if (kind === null) {
    console.error("usage: validate-actions.mjs workflow <file>... action <file>...");
    process.exit(2);
  }
  const file = { name: arg, content: readFileSync(arg, "utf8") };
  const parsed = kind === "workflow" ? parseWorkflow(file, trace) : parseAction(file, trace);
  const errors = [...parsed.context.errors.getErrors()];
  if (parsed.value !== undefined && errors.length === 0) {
    // the converter checks what the schema cannot (job dependencies, expressions, step ids) and records its
    // findings in the same context
    if (kind === "workflow") {
      await convertWorkflowTemplate(parsed.context, parsed.value);
    } else {
      convertActionTemplate(parsed.context, parsed.value);
    }
    errors.push(...parsed.context.errors.getErrors());
  }
  for (const e of new Set(errors.map((x) => x.message ?? String(x)))) {
    console.log(`${arg}: ${e}`);
    problems++;
  }
  checked++;
}
console.log(`${checked} file(s) checked, ${problems} problem(s)`);
process.exit(problems === 0 && checked > 0 ? 0 : 1);
