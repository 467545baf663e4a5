"""Plex Kiosk tests."""
