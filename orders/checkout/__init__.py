"""Checkout (ORD-2..4, CPN-2, DLV-1..4): the quote a page shows, the one discount slot, placing the order."""
