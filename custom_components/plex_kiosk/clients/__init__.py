"""Async adapters for the outside services Plex Kiosk talks to."""
