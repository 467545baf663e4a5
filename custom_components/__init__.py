"""Custom components package (lets tests import ``custom_components.plex_kiosk``)."""
