/** The reports domain: weekly figure tools and the chart generator, plus the plain figure functions. */
import { getIncidentFigures, getShippingFigures, renderChartTool } from "./report-tools.js";

export const reportTools = [getIncidentFigures, getShippingFigures, renderChartTool];

export { getIncidentFigures, getShippingFigures, renderChartTool };
export { incidentFigures, shippingFigures, onTimeStats, punctuality, type IncidentFigures, type ShippingFigures } from "./figures.js";
export { renderChartSvg, type ChartSpec, type ChartSeries, type ChartPoint } from "./svg-chart.js";
