"""Library quality: profiles from Plex and the files, upgrade rules, scanner, safe replacement."""
