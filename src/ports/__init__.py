"""Protocols the core needs from the world, with the values and errors they exchange."""
