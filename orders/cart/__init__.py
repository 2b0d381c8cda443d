"""The cart (ORD-1): a guest's session cart or a customer's stored one, merged at sign-in; stock caps on quantities."""
