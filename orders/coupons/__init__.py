"""Coupons (CPN-1, CPN-2): finding a coupon, why it is refused, the coupon as a discount source, batches of codes."""
