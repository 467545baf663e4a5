"""From a chosen release to a verified, well-named file in Plex."""
