"""Reports for oversight bodies, built from the log's projections."""
