"""Tables of the loyalty app: added by its issue."""
