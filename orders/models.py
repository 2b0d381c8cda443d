"""Orders, cart, checkout, delivery and coupons: tables added by the orders issue."""
