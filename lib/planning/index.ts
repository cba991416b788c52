/**
 * Planning's public surface (issue 13): demand from routing history, the load plan of a
 * departure, the savings report and its chart, the demo month. All pure: the CLI wraps them
 * today, `GET /v1/plans` and `GET /v1/reports/savings` are meant to wrap the same calls.
 */
export { collectDemand, demand, type DemandRow, type DemandTable, DEFAULT_WINDOW_DAYS } from './demand.ts';
export { formatHistoryLine, HistoryLine, parseHistoryLine, type HistoryEntry } from './history.ts';
export { plan, type DeparturePlan, type InboundLot, type LoadPlan, type OnHand, type PlanInput, type PlanLine } from './plan.ts';
export { report, type ReportInput, type SavingsReport, type SellerSavings } from './report.ts';
export { savingsChart } from './chart.ts';
export { formatPlanTable, formatReportTable } from './format.ts';
export { simulate, type SimulateInput, type SimulateResult } from './simulate.ts';
