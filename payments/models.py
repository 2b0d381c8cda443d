"""Tables of the payments app: added by its issue."""
