"""Delivery (DLV-1..4): which methods serve a city, what they cost, when the parcel arrives, the carriers."""
