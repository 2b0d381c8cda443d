"""Coupons (CPN-1, CPN-2): finding a coupon, why it is refused, batches of codes."""
