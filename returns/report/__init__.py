"""FIN-1: the finance refund report — filters, totals per method, chart, exports (CSV, XLSX, PDF) and their audit."""
