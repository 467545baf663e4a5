"""Following series: lookup, calendar sync and release watching."""
