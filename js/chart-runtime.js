// The interactive chart runtime, loaded only after a reader shows interest in a chart.
// Vega renders the build's pre-compiled Vega specs (no Vega-Lite compiler ships);
// vega-interpreter evaluates expressions without eval, so a strict CSP holds;
// vega-tooltip draws tooltips as HTML that follows the page's theme.
export { parse, View } from "vega";
export { expressionInterpreter } from "vega-interpreter";
export { Handler as TooltipHandler } from "vega-tooltip";
