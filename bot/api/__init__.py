"""JSON endpoints under `/api/v1`: chat, policy questions and screening, each one router module."""
