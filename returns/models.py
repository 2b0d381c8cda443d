"""Tables of the returns app: added by its issue."""
