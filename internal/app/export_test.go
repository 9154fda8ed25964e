package app

// ReporterRoute lets the external tests check which routes the request log
// leaves out.
var ReporterRoute = reporterRoute
