"""The header's cart count. The orders issue replaces the session dict with the real cart."""

SESSION_CART_KEY = "cart"


def cart_count(request) -> int:
    session = getattr(request, "session", None)
    if session is None or not session.session_key:
        return 0  # no session yet: nothing in the cart, and no database hit
    lines = session.get(SESSION_CART_KEY) or {}
    return sum(int(q) for q in lines.values() if str(q).isdigit())


def cart(request):
    return {"cart_count": lambda: cart_count(request)}
