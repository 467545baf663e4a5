"""Protocol-faithful local stand-ins for the outside services, driven by one world file."""
