"""Customer-volume forecasting per branch, channel and open hour."""
