"""What an operator watches: readiness, Prometheus metrics and structured logs (docs/decisions/0032)."""
