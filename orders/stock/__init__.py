"""Stock (ORD-4): taken when an order is placed, put back when it is cancelled or refused."""
